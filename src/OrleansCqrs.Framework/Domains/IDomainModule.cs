using Microsoft.Extensions.DependencyInjection;

namespace OrleansCqrs.Framework.Domains;

/// <summary>
/// The silo services a domain needs beyond what its types declare (a start-up task, say). Declared once in the domain
/// assembly, with a parameterless constructor; adding the domain to a silo finds and runs it.
/// </summary>
public interface IDomainModule
{
    /// <summary>Adds the domain's own services to a silo.</summary>
    void ConfigureSilo(IServiceCollection services);
}
