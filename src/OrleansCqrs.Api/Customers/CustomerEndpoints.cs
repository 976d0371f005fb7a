using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank.Customers;

namespace OrleansCqrs.Api.Customers;

/// <summary>Customer reads over HTTP.</summary>
public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/customers").WithTags("Customers")
            .MapGet("/{customerId}/portfolio", GetPortfolio)
            .WithName(nameof(GetPortfolio))
            .WithSummary("All accounts of a customer with their balances, and the total per currency. With minPosition it reflects every event up to that global position.");
        return routes;
    }

    private static async Task<IResult> GetPortfolio(string customerId, long? minPosition, int? waitMs, IGrainFactory grains, HttpResponse response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        FieldChecks.Id(errors, "customerId", customerId);
        ReadWait.Check(errors, "minPosition", minPosition, waitMs);
        if (FieldChecks.Problem(errors) is { } problem)
        {
            return problem;
        }

        var queries = grains.GetGrain<ICustomerQueries>(0);
        var read = await GrainRetry.QueryAsync(() => queries.GetPortfolio(customerId, minPosition ?? 0, ReadWait.Of(waitMs)), ReadWait.Of(waitMs), cancellationToken);
        if (read.View is null)
        {
            return TypedResults.Problem("This customer has no account.", statusCode: StatusCodes.Status404NotFound, title: "Not found.",
                extensions: new Dictionary<string, object?> { ["code"] = "customer-not-found" });
        }

        ReadWait.MarkStale(response, read.Stale);
        return TypedResults.Ok(read.View);
    }
}
