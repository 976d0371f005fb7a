using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Customers;

/// <summary>Customer reads over HTTP.</summary>
public static class CustomerEndpoints
{
    /// <summary>A customer is known through its accounts: one without any is not found.</summary>
    public static Rejection NotFound { get; } = new(RejectionKind.NotFound, "customer-not-found", "This customer has no account.");

    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/customers").WithTags("Customers")
            .MapQuery("/{customerId}/portfolio", "customerId", (grains, read) => grains.GetGrain<ICustomerQueries>(0).GetPortfolio(read.Id, read.Minimum, read.Wait), NotFound)
            .WithName("GetPortfolio")
            .WithSummary("All accounts of a customer with their balances, and the total per currency. With minPosition it reflects every event up to that global position.");
        return routes;
    }
}
