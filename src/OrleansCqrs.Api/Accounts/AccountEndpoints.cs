using Microsoft.AspNetCore.Mvc;
using OrleansCqrs.Api.Infrastructure;
using Microsoft.Extensions.Options;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Framework.Aggregates;
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
        accounts.MapCreateCommand<OpenAccountRequest>("/", "open", "open-account", OpenRequest, id => $"/api/accounts/{id}", AdmitOpeningAsync)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("OpenAccount").WithSummary("Customer (for itself) or operator (for anyone): open an account for a customer in a currency.")
            .WithDescription("A customer's token opens accounts for its own customer only: customerId may be left out (it is the token's), "
                + "and naming another customer is 403 other-customer. An operator names any customer. "
                + "A customer holds at most OrleansCqrs:Bank:MaxAccountsPerCustomer accounts (100): the next is 409 too-many-accounts.");
        accounts.MapCommand("/{accountId}/deposit", "deposit", (AmountRequest r, RequestFields f) => new DepositMoney(f.Required("amount", r.Amount)))
            .WithName("Deposit").WithSummary("Owner or operator: deposit money.").WithDescription(OwnerOnly);
        accounts.MapCommand("/{accountId}/withdraw", "withdraw", (AmountRequest r, RequestFields f) => new WithdrawMoney(f.Required("amount", r.Amount)))
            .WithName("Withdraw").WithSummary("Owner or operator: withdraw money; never below zero.").WithDescription(OwnerOnly);
        accounts.MapCommand("/{accountId}/close", "close", new CloseAccount())
            .WithName("Close").WithSummary("Owner or operator: close an account whose balance is zero.").WithDescription(OwnerOnly);
        return routes;
    }

    internal const string OwnerOnly = "The account's customer or an operator; another customer's account answers 404 account-not-found, as a missing one does.";

    /// <summary>
    /// A customer at its most accounts opens no more (<see cref="BankSettings.MaxAccountsPerCustomer"/>), as the read
    /// side knows them now; a retry of an opening that went through is let through to its replay.
    /// </summary>
    private static async Task<Rejection?> AdmitOpeningAsync(string accountId, IAccountCommand command, HttpContext http)
    {
        if (command is not OpenAccount open)
        {
            return null;
        }

        var most = http.RequestServices.GetRequiredService<IOptions<BankSettings>>().Value.MaxAccountsPerCustomer;
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var held = await GrainRetry.QueryAsync(
            () => grains.GetGrain<ICustomerQueries>(0).GetAccountIds(open.CustomerId, 0, TimeSpan.Zero), TimeSpan.Zero, http.RequestAborted);
        var accounts = held.View ?? [];
        return accounts.Count >= most && !accounts.Contains(accountId, StringComparer.Ordinal) ? AccountRejections.TooManyAccounts(most) : null;
    }

    /// <summary>
    /// A customer opens for itself: without a customerId the token's customer is meant, and another customer is refused
    /// here, before any grain is called (the account grain refuses it too, whoever calls it).
    /// </summary>
    private static (string? AccountId, IAccountCommand Command) OpenRequest(OpenAccountRequest request, RequestFields fields)
    {
        var customerId = request.CustomerId ?? fields.Caller?.Party;
        if (fields.Caller is { } caller && customerId is not null && !AccountAccess.MayUse(caller, customerId))
        {
            fields.Refuse(AccountRejections.OtherCustomer);
        }

        // A currency in the case the account keeps it, so that "usd" and "USD" are one request to a retry's fingerprint;
        // one the bank does not use is passed as written, for the account to refuse by name.
        var currency = fields.Required("currency", request.Currency);
        return (fields.OptionalId("accountId", request.AccountId), new OpenAccount(fields.Required("customerId", customerId), Currencies.Normalize(currency) ?? currency));
    }
}
