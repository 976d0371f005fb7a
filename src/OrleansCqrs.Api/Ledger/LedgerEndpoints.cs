using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Ledger;

/// <summary>Bank-wide reads over HTTP, from the ledger (a read model of the global log): totals and top accounts.</summary>
public static class LedgerEndpoints
{
    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder routes)
    {
        var bank = routes.MapGroup("/api/bank").WithTags("Bank").RequireAuthorization(ApiAuthentication.Operator);
        bank.MapQuery("/totals", (grains, read) => grains.GetGrain<IBankQueries>(0).GetTotals(read.Minimum, read.Wait), Respond)
            .WithName("GetTotals")
            .WithSummary("Operator only: accounts, open accounts, money per currency (with the money in flight in transfers) and transfer counts. With minPosition it answers once every event up to that global position is counted.");
        bank.MapGet("/top-accounts", GetTopAccounts)
            .WithReadWait()
            .ProducesProblems(Answers.QueryProblems)
            .WithName(nameof(GetTopAccounts))
            .WithSummary("Operator only: the accounts with the highest balances, highest first (balances compared as numbers, whatever their currency).");
        return routes;
    }

    public const int DefaultTop = 10;
    public const int MaxTop = 100;

    private static BankTotalsResponse Respond(BankTotals totals, long position) =>
        new(
            totals.Accounts,
            totals.OpenAccounts,
            [.. totals.Currencies.Values],
            new TransferCounts(
                totals.TransfersRequested,
                totals.TransfersCompleted,
                totals.TransfersFailed,
                totals.TransfersRequested - totals.TransfersCompleted - totals.TransfersFailed),
            position);

    private static async Task<Results<Ok<TopAccountsResponse>, ValidationProblem>> GetTopAccounts(
        int? limit, long? minPosition, int? waitMs, IGrainFactory grains, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        FieldChecks.Range(errors, "limit", limit, 1, MaxTop);
        ReadWait.Check(errors, "minPosition", minPosition, waitMs);
        if (FieldChecks.Problem(errors) is { } problem)
        {
            return problem;
        }

        var queries = grains.GetGrain<IBankQueries>(0);
        var read = await GrainRetry.QueryAsync(() => queries.GetTopAccounts(limit ?? DefaultTop, minPosition ?? 0, ReadWait.Of(waitMs)), ReadWait.Of(waitMs), cancellationToken);
        ReadWait.MarkStale(response, read.Stale);
        return TypedResults.Ok(new TopAccountsResponse(read.View!, read.Position));
    }
}
