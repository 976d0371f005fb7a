using OrleansCqrs.Bank;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Api.Accounts;

/// <summary>Whether a caller may see an account that a read does not itself tell the owner of (a statement, a live filter).</summary>
internal static class AccountOwners
{
    /// <summary>
    /// True for a trusted caller (no actor: an app without authentication) and an operator, without a read; otherwise
    /// whether the account exists and belongs to the caller's customer, from its summary.
    /// </summary>
    public static async Task<bool> MayUseAsync(IGrainFactory grains, Actor? actor, string accountId, CancellationToken cancellationToken)
    {
        if (actor is null || actor.IsInRole(BankRoles.Operator))
        {
            return true;
        }

        return await OwnerAsync(grains, accountId, cancellationToken) is { } owner && AccountAccess.MayUse(actor, owner);
    }

    /// <summary>The account's customer, or null when there is no such account.</summary>
    private static async Task<string?> OwnerAsync(IGrainFactory grains, string accountId, CancellationToken cancellationToken)
    {
        var read = await GrainRetry.QueryAsync(
            () => grains.GetGrain<IReadModelQueries>(0).Get<IAccountSummaryProjection, AccountSummary>(accountId, 0, TimeSpan.Zero), TimeSpan.Zero, cancellationToken);
        if (read.View is { } summary)
        {
            return summary.CustomerId;
        }

        // No summary: no such account, or one opened a moment ago that the stream has not delivered yet. One read of
        // the store settles it (the owner never changes, so any summary will do).
        var latest = await GrainRetry.QueryAsync(() => grains.GetGrain<IAccountSummaryProjection>(accountId).GetAtPosition(long.MaxValue), TimeSpan.Zero, cancellationToken);
        return latest.View?.CustomerId;
    }
}
