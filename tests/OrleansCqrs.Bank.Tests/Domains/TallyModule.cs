using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.Domains;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>The test-only tally domain: the types of this namespace, nothing else of the test assembly.</summary>
public sealed class TallyModule : IDomainModule
{
    public void ConfigureSilo(IServiceCollection services)
    {
    }
}
