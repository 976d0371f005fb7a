using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank.Totals;

namespace OrleansCqrs.Api.Bank;

/// <summary>Bank-wide reads over HTTP.</summary>
public static class BankEndpoints
{
    public static IEndpointRouteBuilder MapBankEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/bank").WithTags("Bank")
            .MapGet("/totals", GetTotals)
            .WithName(nameof(GetTotals))
            .WithSummary("Accounts, open accounts and money per currency. With minPosition it answers once every event up to that global position is counted.");
        return routes;
    }

    private static async Task<IResult> GetTotals(long? minPosition, int? waitMs, IGrainFactory grains, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>();
        ReadWait.Check(errors, "minPosition", minPosition, waitMs);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        var read = await grains.GetGrain<IBankQueries>(0).GetTotals(minPosition ?? 0, ReadWait.Of(waitMs));
        ReadWait.MarkStale(response, read.Stale);
        var totals = read.View!;
        return TypedResults.Ok(new BankTotalsResponse(totals.Accounts, totals.OpenAccounts, [.. totals.Currencies.Values], read.Version));
    }
}

/// <summary>The bank totals as served: <paramref name="Position"/> is the global log position they reflect.</summary>
public sealed record BankTotalsResponse(long Accounts, long OpenAccounts, IReadOnlyList<CurrencyTotals> Currencies, long Position);
