using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Api.Customers;

/// <summary>Customer reads over HTTP.</summary>
public static class CustomerEndpoints
{
    /// <summary>A customer is known through its accounts: one without any is not found.</summary>
    public static Rejection NotFound { get; } = new(RejectionKind.NotFound, "customer-not-found", "This customer has no account.");

    public static IEndpointRouteBuilder MapCustomerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/customers").WithTags("Customers")
            .MapQuery("/{customerId}/portfolio", "customerId", GetPortfolio, NotFound)
            .WithName("GetPortfolio")
            .WithSummary("The customer itself or an operator: all accounts of a customer with their balances, and the total per currency. With minPosition it reflects every event up to that global position.")
            .WithDescription("Another customer's portfolio answers 404 customer-not-found, as one without accounts does.");
        return routes;
    }

    // Another customer is refused before the portfolio is gathered: the answer is the one a customer without accounts
    // gets, and a stranger cannot make the cluster fan out for nothing.
    private static Task<LogRead<CustomerPortfolio>> GetPortfolio(IGrainFactory grains, ReadRequest read) =>
        read.Caller is { } caller && !AccountAccess.MayUse(caller, read.Id)
            ? Task.FromResult(new LogRead<CustomerPortfolio>(null, 0, Stale: false))
            : grains.GetGrain<ICustomerQueries>(0).GetPortfolio(read.Id, read.Minimum, read.Wait);
}
