using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Domains;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>What adding the bank to a silo registers, found in its types alone.</summary>
public sealed class BankCatalogTests
{
    private static readonly DomainCatalog Bank = new([typeof(BankModule).Assembly]);

    [Fact]
    public void The_bank_declares_exactly_the_account_and_transfer_events()
    {
        Type[] expected =
        [
            typeof(AccountOpened), typeof(MoneyDeposited), typeof(MoneyWithdrawn), typeof(AccountClosed),
            typeof(TransferSent), typeof(TransferReceived), typeof(TransferReturned),
            typeof(TransferRequested), typeof(TransferDebited), typeof(TransferCredited), typeof(TransferCompleted),
            typeof(TransferCreditRefused), typeof(TransferRefunded), typeof(TransferFailed),
        ];
        Assert.Equal(expected.Select(t => t.FullName).Order(), Bank.EventTypes.Select(t => t.FullName).Order());
    }

    [Fact]
    public void The_account_summary_is_the_one_stream_projection_healed()
    {
        // The statement is pulled (no subscription) and the ledger follows the log itself: neither is the healer's.
        var projections = Assert.Single(Bank.StreamProjections);
        Assert.Equal(AccountGrain.StreamName, projections.Key);
        Assert.Equal([typeof(AccountSummaryProjection)], projections.Value);
    }

    [Fact]
    public void Only_account_events_are_published_since_only_they_have_subscribers()
    {
        Assert.Equal([AccountGrain.StreamName], Bank.SubscribedNamespaces);
    }

    [Fact]
    public void The_transfer_is_the_one_process_manager_resumed()
    {
        var process = Assert.Single(Bank.ProcessManagers);
        Assert.Equal((TransferGrain.StreamName, typeof(TransferGrain)), (process.Key, process.Value));
    }

    [Fact]
    public void The_bank_needs_its_snapshot_and_projection_storages()
    {
        Assert.Equal([BankStorage.Projections, BankStorage.Snapshots], Bank.GrainStorages.Order());
    }

    [Fact]
    public void The_bank_module_is_found()
    {
        Assert.Equal([typeof(BankModule)], Bank.Modules);
    }

    [Fact]
    public void A_domain_added_twice_counts_once()
    {
        var twice = new DomainCatalog([typeof(BankModule).Assembly, typeof(AccountGrain).Assembly]);
        Assert.Equal(Bank.EventTypes.Count, twice.EventTypes.Count);
        Assert.Single(twice.Modules);
    }
}
