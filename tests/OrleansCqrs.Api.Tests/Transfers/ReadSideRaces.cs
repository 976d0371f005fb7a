using System.Collections.Concurrent;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Api.Tests.Transfers;

/// <summary>
/// Puts the read side behind the write side on purpose, for chosen accounts: their summaries answer as if the account's
/// events had not reached them yet (none, or an earlier one), or the account is closed the moment a transfer to it is
/// requested (after the front end read its summary, before the transfer runs).
/// </summary>
public sealed class ReadSideRaces : IOutgoingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, AccountSummary?> _frozen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IGrainFactory> _closeOnRequest = new(StringComparer.Ordinal);

    /// <summary>Reads of the account's summary find none, as before its opening reached the read side.</summary>
    public void HideSummaryOf(string accountId) => _frozen[accountId] = null;

    /// <summary>Reads of the account's summary find <paramref name="summary"/>, whatever the account does next.</summary>
    public void FreezeSummaryOf(string accountId, AccountSummary summary) => _frozen[accountId] = summary;

    /// <summary>The account is closed when the next transfer to it is requested: after the check, before the credit.</summary>
    public void CloseWhenATransferIsRequestedTo(string accountId, IGrainFactory grains) => _closeOnRequest[accountId] = grains;

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.DeclaringType == typeof(IReadModelQueries)
            && context.Request.GetArgument(0) is string key
            && _frozen.TryGetValue(key, out var summary))
        {
            context.Result = new ProjectionRead<AccountSummary>(summary, summary?.Version ?? 0, Stale: false);
            return;
        }

        if (context.Request.GetArgumentCount() > 0
            && context.Request.GetArgument(0) is RequestTransfer request
            && _closeOnRequest.TryRemove(request.ToAccountId, out var grains))
        {
            var closed = await grains.GetGrain<IAccountGrain>(request.ToAccountId).Execute(new CloseAccount(), CommandContext.New());
            if (!closed.IsAccepted)
            {
                throw new InvalidOperationException($"The race could not close {request.ToAccountId}: {closed.Rejection}");
            }
        }

        await context.Invoke();
    }
}
