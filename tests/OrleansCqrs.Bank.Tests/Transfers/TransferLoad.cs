using System.Collections.Concurrent;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// Accounts and transfers driven against one cluster, remembering every transfer requested and every account opened
/// for <see cref="TransferAudit"/>. Every call is retried with its command id (a silo may be going away), so a retry
/// is applied at most once.
/// </summary>
public sealed class TransferLoad(Func<IGrainFactory> grains)
{
    /// <summary>How long a caller keeps retrying one call while a silo goes away.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(45);

    private readonly ConcurrentDictionary<string, string> _currencies = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _transfers = [];

    public IReadOnlyCollection<string> Accounts => [.. _currencies.Keys];

    public IReadOnlyCollection<string> Transfers => [.. _transfers];

    public async Task<string[]> OpenAsync(string prefix, int count, decimal deposit, string currency = "EUR")
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}-{Guid.NewGuid():N}").ToArray();
        await Task.WhenAll(ids.Select(async id =>
        {
            _currencies[id] = currency;
            await ExecuteAsync(id, new OpenAccount("cust-load", currency));
            if (deposit > 0)
            {
                await ExecuteAsync(id, new DepositMoney(deposit));
            }
        }));
        return ids;
    }

    /// <summary>Runs an account command to an acknowledged outcome (accepted or rejected), retrying with its command id.</summary>
    public async Task<CommandResult> ExecuteAsync(string accountId, IAccountCommand command)
    {
        var context = CommandContext.New();
        return await Eventually.SucceedsAsync(() => grains().GetGrain<IAccountGrain>(accountId).Execute(command, context), CallDeadline);
    }

    /// <summary>Counts a transfer requested some other way (written into the store) in the audit.</summary>
    public void Track(string transferId) => _transfers.Add(transferId);

    public static string NewTransferId() => $"tr-{Guid.NewGuid():N}";

    /// <summary>Requests a transfer (in the source's currency) and answers its id once the request is acknowledged.</summary>
    public async Task<string> RequestAsync(string from, string to, decimal amount, string? transferId = null)
    {
        var id = transferId ?? NewTransferId();
        _transfers.Add(id);
        var context = CommandContext.New();
        var request = new RequestTransfer(from, to, amount, _currencies[from], null);
        var result = await Eventually.SucceedsAsync(() => grains().GetGrain<ITransferGrain>(id).Execute(request, context), CallDeadline);
        Assert.True(result.IsAccepted, $"Transfer {id} was refused: {result.Rejection}");
        return id;
    }

    /// <summary>The transfer as its grain answers it, waiting for its end.</summary>
    public async Task<TransferView> GetAsync(string transferId)
    {
        var view = await Eventually.SucceedsAsync(() => grains().GetGrain<ITransferGrain>(transferId).Get(TransferGrain.MaxWait), CallDeadline);
        Assert.NotNull(view);
        return view;
    }

    /// <summary>
    /// Awaits every transfer ended in the log (nobody calling them), then checks the log's invariants, then that every
    /// transfer grain answers the outcome the log holds; answers how many completed.
    /// </summary>
    public async Task<int> AuditAsync(Framework.EventStore.IEventStore store, TimeSpan endDeadline)
    {
        var transfers = Transfers;
        await TransferAudit.AwaitEndedInLogAsync(store, transfers, endDeadline);
        var outcomes = await TransferAudit.AssertConsistentAsync(store, Accounts, transfers);
        foreach (var (id, outcome) in outcomes)
        {
            var view = await GetAsync(id);
            Assert.True(view.Status == outcome, $"Transfer {id} answers {view.Status}, its log says {outcome}.");
        }

        return outcomes.Values.Count(o => o == TransferView.Completed);
    }
}
