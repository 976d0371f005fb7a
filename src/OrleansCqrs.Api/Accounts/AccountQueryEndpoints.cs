using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Statement;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Accounts;

/// <summary>Account reads over HTTP, from the read models; a caller can ask to read its own writes.</summary>
public static class AccountQueryEndpoints
{
    public static IEndpointRouteBuilder MapAccountQueryEndpoints(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts").WithTags("Accounts");
        accounts.MapReadModel<IAccountSummaryProjection, AccountSummary>("/{accountId}", "accountId", AccountRejections.NotFound, (caller, summary) => AccountAccess.MayUse(caller, summary.CustomerId))
            .WithName("GetAccount")
            .WithSummary("Owner or operator: the account summary. With minVersion it answers once it reflects that version, or after waitMs with X-Read-Stale: true.")
            .WithDescription(AccountEndpoints.OwnerOnly);
        accounts.MapGet("/{accountId}/statement", GetStatement)
            .ProducesProblems(Answers.QueryProblems, StatusCodes.Status404NotFound)
            .WithName(nameof(GetStatement))
            .WithSummary("Owner or operator: the account's history, newest first, with the balance after each entry and who did it (by); page with beforeVersion. X-Read-Stale: true when it could not catch up with the store.")
            .WithDescription(AccountEndpoints.OwnerOnly);
        return routes;
    }

    public const int DefaultStatementLimit = 50;
    public const int MaxStatementLimit = 500;

    private static async Task<Results<Ok<StatementPage>, ValidationProblem, ProblemHttpResult>> GetStatement(
        string accountId, long? beforeVersion, int? limit, IGrainFactory grains, HttpContext http, CancellationToken cancellationToken)
    {
        if (!Callers.TryGetActor(http, out var caller))
        {
            return AuthProblems.NoCaller();
        }

        var errors = new Dictionary<string, string[]>();
        FieldChecks.Id(errors, "accountId", accountId);
        FieldChecks.Range(errors, "beforeVersion", beforeVersion, 1, long.MaxValue);
        FieldChecks.Range(errors, "limit", limit, 1, MaxStatementLimit);
        if (FieldChecks.Problem(errors) is { } problem)
        {
            return problem;
        }

        // The statement does not say whose account it is: the summary does. Another customer's account is answered
        // as a missing one, before its statement is read.
        if (!await AccountOwners.MayUseAsync(grains, caller, accountId, cancellationToken))
        {
            return RejectionProblems.ToResult<Ok<StatementPage>>(AccountRejections.NotFound);
        }

        var statement = grains.GetGrain<IAccountStatementProjection>(accountId);
        var page = await GrainRetry.QueryAsync(() => statement.GetPage(beforeVersion, limit ?? DefaultStatementLimit), TimeSpan.Zero, cancellationToken);
        if (page.Version == 0)
        {
            return RejectionProblems.ToResult<Ok<StatementPage>>(AccountRejections.NotFound);
        }

        ReadWait.MarkStale(http.Response, page.Stale);
        return TypedResults.Ok(page);
    }
}
