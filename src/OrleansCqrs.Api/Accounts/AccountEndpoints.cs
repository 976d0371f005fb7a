using Microsoft.AspNetCore.Mvc;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Accounts;

/// <summary>The account commands over HTTP: open, deposit, withdraw, close.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts")
            .WithTags("Accounts")
            .WithMetadata(new RequestSizeLimitAttribute(CommandApiSetup.MaxCommandBodyBytes))
            .ForAggregate<IAccountGrain, IAccountCommand, CommandAccepted>("accountId", (id, result) => new CommandAccepted(id, result.Version, result.Position));

        // The operation names ("open", "deposit", ...) are part of stored command fingerprints: never rename them.
        accounts.MapCreateCommand<OpenAccountRequest>("/", "open", "open-account", OpenRequest, id => $"/api/accounts/{id}")
            .WithName("OpenAccount").WithSummary("Open an account for a customer in a currency.");
        accounts.MapCommand("/{accountId}/deposit", "deposit", (AmountRequest r, RequestFields f) => new DepositMoney(f.Required("amount", r.Amount)))
            .WithName("Deposit").WithSummary("Deposit money.");
        accounts.MapCommand("/{accountId}/withdraw", "withdraw", (AmountRequest r, RequestFields f) => new WithdrawMoney(f.Required("amount", r.Amount)))
            .WithName("Withdraw").WithSummary("Withdraw money; never below zero.");
        accounts.MapCommand("/{accountId}/close", "close", new CloseAccount())
            .WithName("Close").WithSummary("Close an account whose balance is zero.");
        return routes;
    }

    private static (string? AccountId, IAccountCommand Command) OpenRequest(OpenAccountRequest request, RequestFields fields) =>
        (fields.OptionalId("accountId", request.AccountId), new OpenAccount(fields.Required("customerId", request.CustomerId), fields.Required("currency", request.Currency)));
}
