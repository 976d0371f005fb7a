using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;

namespace OrleansCqrs.Api.Accounts;

/// <summary>Account reads over HTTP, from the read models; a caller can ask to read its own writes.</summary>
public static class AccountQueryEndpoints
{
    public static IEndpointRouteBuilder MapAccountQueryEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/accounts").WithTags("Accounts")
            .MapGet("/{accountId}", GetAccount)
            .WithName(nameof(GetAccount))
            .WithSummary("The account summary. With minVersion it answers once it reflects that version, or after waitMs with X-Read-Stale: true.");
        return routes;
    }

    private static async Task<IResult> GetAccount(string accountId, long? minVersion, int? waitMs, IGrainFactory grains, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Identifiers.IsValid(accountId))
        {
            errors["accountId"] = [$"An account id has 1 to {Identifiers.MaxLength} letters, digits, '.', '_' or '-'."];
        }

        ReadWait.Check(errors, "minVersion", minVersion, waitMs);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        var read = await grains.GetGrain<IAccountQueries>(0)
            .GetSummary(accountId, minVersion ?? 0, ReadWait.Of(waitMs));
        if (read.View is null)
        {
            return RejectionProblems.ToProblem(AccountRejections.NotFound);
        }

        ReadWait.MarkStale(response, read.Stale);
        return TypedResults.Ok(read.View);
    }
}
