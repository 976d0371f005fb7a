using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>An account as the event log implies it.</summary>
public sealed record AccountFromLog(string AccountId, string CustomerId, string Currency, decimal Balance, long Version, int Deposits, int Withdrawals);

/// <summary>The log, audited: every account it implies, and what each account's version changed.</summary>
public sealed record AuditedLog(
    IReadOnlyDictionary<string, AccountFromLog> Accounts,
    IReadOnlyDictionary<(string AccountId, long Version), IDomainEvent> Events);

/// <summary>
/// Reads the whole event log and checks what must hold whatever failed: versions gapless per stream, positions
/// increasing, every command id applied once, no balance ever below zero. Gives the accounts it implies.
/// </summary>
public static class LogAudit
{
    private static readonly EventSerializer Serializer = new(EventTypeRegistry.FromAssemblies(typeof(AccountOpened).Assembly));

    public static async Task<AuditedLog> ReadAsync(IEventStore store)
    {
        var accounts = new Dictionary<string, AccountFromLog>(StringComparer.Ordinal);
        var events = new Dictionary<(string, long), IDomainEvent>();
        var commands = new HashSet<(string Stream, Guid Command)>();
        var lastPosition = 0L;
        for (var page = await store.ReadAllAsync(0, 5000); page.Count > 0; page = await store.ReadAllAsync(lastPosition, 5000))
        {
            foreach (var recorded in page)
            {
                Assert.True(recorded.Position > lastPosition, $"Position {recorded.Position} follows {lastPosition}.");
                lastPosition = recorded.Position;
                var envelope = Serializer.Deserialize(recorded);
                Assert.True(
                    commands.Add((recorded.StreamId, envelope.Metadata.CommandId)),
                    $"Command {envelope.Metadata.CommandId} was applied twice to {recorded.StreamId} (again at version {recorded.Version}).");
                var id = StreamNames.KeyOf(AccountGrain.StreamName, recorded.StreamId)
                    ?? throw new InvalidOperationException($"Unexpected stream {recorded.StreamId}.");
                accounts.TryGetValue(id, out var account);
                var expectedVersion = (account?.Version ?? 0) + 1;
                Assert.True(recorded.Version == expectedVersion, $"{recorded.StreamId} jumps from version {expectedVersion - 1} to {recorded.Version}.");
                accounts[id] = Apply(id, account, envelope.Event) with { Version = recorded.Version };
                events[(id, recorded.Version)] = envelope.Event;
                Assert.True(accounts[id].Balance >= 0, $"{id} went below zero at version {recorded.Version}.");
            }
        }

        return new AuditedLog(accounts, events);
    }

    private static AccountFromLog Apply(string id, AccountFromLog? account, IDomainEvent domainEvent) => (account, domainEvent) switch
    {
        (null, AccountOpened opened) => new(id, opened.CustomerId, opened.Currency, 0, 0, 0, 0),
        ({ } a, MoneyDeposited deposited) => a with { Balance = a.Balance + deposited.Amount, Deposits = a.Deposits + 1 },
        ({ } a, MoneyWithdrawn withdrawn) => a with { Balance = a.Balance - withdrawn.Amount, Withdrawals = a.Withdrawals + 1 },
        ({ } a, AccountClosed) => a,
        _ => throw new InvalidOperationException($"{domainEvent.GetType().Name} cannot follow {account?.ToString() ?? "nothing"} on {id}."),
    };
}
