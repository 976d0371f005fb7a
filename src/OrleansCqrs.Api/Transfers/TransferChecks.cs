using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Api.Transfers;

/// <summary>
/// Validation that reads another model: before a transfer is requested, the two accounts' summaries (the read side)
/// say whether they exist, are open and hold the same currency. Every refusal but "not found" rests on a fact that
/// never reverts (a closed account stays closed, its owner and currency never change; an account once opened exists
/// for ever), so a summary that is behind can wrongly accept, never wrongly refuse; what it accepts, the accounts
/// decide again (docs/transfers.md). "Not found" can revert, since clients choose account ids: the endpoint records
/// each refusal under the transfer id, so a retry is answered as the first request was.
/// </summary>
internal static class TransferChecks
{
    /// <summary>The refusal, or the source's currency (the one the transfer moves) when the read side sees no obstacle.</summary>
    public static async Task<Outcome> CheckAsync(
        IGrainFactory grains, Actor? caller, string fromAccountId, string toAccountId, CancellationToken cancellationToken)
    {
        // Both read at once: neither answer decides whether the other is read, and a stranger's source is refused
        // below whatever the destination is, so reading it tells the stranger nothing.
        var sourceRead = ReadAsync(grains, fromAccountId, cancellationToken);
        var destinationRead = ReadAsync(grains, toAccountId, cancellationToken);
        var (source, destination) = (await sourceRead, await destinationRead);

        if (source is null || (caller is not null && !AccountAccess.MayUse(caller, source.CustomerId)))
        {
            return new Outcome("", TransferRefusals.SourceNotFound);
        }

        if (source.Status == AccountStatus.Closed)
        {
            return new Outcome("", TransferRefusals.SourceClosed);
        }

        if (destination is null)
        {
            return new Outcome("", TransferRefusals.DestinationNotFound);
        }

        if (destination.Status == AccountStatus.Closed)
        {
            return new Outcome("", TransferRefusals.DestinationClosed);
        }

        return destination.Currency == source.Currency
            ? new Outcome(source.Currency)
            : new Outcome("", TransferRefusals.CurrencyMismatch(source.Currency, destination.Currency));
    }

    /// <summary>
    /// The account as its summary shows it; with no summary, as its aggregate knows it. No summary means no such
    /// account, or one opened a moment ago whose event the summary has not applied yet: refusing that one would turn
    /// down a customer's first transfer from a new account, so the aggregate (authoritative, one grain call) settles it.
    /// So does a summary that cannot be read at all: a command must not depend on the read side (its store may be down,
    /// docs/cluster.md#a-read-store-of-its-own), so the read is tried once, and on any failure the aggregate answers.
    /// </summary>
    private static async Task<AccountFacts?> ReadAsync(IGrainFactory grains, string accountId, CancellationToken cancellationToken)
    {
        if (await TryReadSummaryAsync(grains, accountId, cancellationToken) is { } summary)
        {
            return new AccountFacts(summary.CustomerId, summary.Currency, summary.Status);
        }

        var account = await GrainRetry.QueryAsync(() => grains.GetGrain<IAccountGrain>(accountId).Get(), TimeSpan.Zero, cancellationToken);
        return account is null ? null : new AccountFacts(account.CustomerId, account.Currency, account.Status);
    }

    private static async Task<AccountSummary?> TryReadSummaryAsync(IGrainFactory grains, string accountId, CancellationToken cancellationToken)
    {
        try
        {
            var read = await grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(accountId, 0, TimeSpan.Zero)
                .WaitAsync(GrainRetry.QueryAllowance, cancellationToken);
            return read.View;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever the read side's trouble, the aggregate is asked next; it has the same facts, authoritative.
            return null;
        }
    }

    /// <summary>The currency to move, or why not.</summary>
    public sealed record Outcome(string Currency, Rejection? Refusal = null);

    private sealed record AccountFacts(string CustomerId, string Currency, AccountStatus Status);
}
