using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.Domains;

namespace OrleansCqrs.Bank;

/// <summary>
/// The bank on a silo: <c>silo.AddOrleansCqrs(configuration, contentRoot, cqrs =&gt; cqrs.AddDomain&lt;BankModule&gt;())</c>.
/// Its events, healed projections and grain storages are found in its types; this adds what no type declares.
/// </summary>
public sealed class BankModule : IDomainModule
{
    public void ConfigureSilo(IServiceCollection services) =>
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LedgerWarmUp>();
}
