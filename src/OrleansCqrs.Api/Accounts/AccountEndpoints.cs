using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Api.Accounts;

/// <summary>The account commands over HTTP: open, deposit, withdraw, close.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts")
            .WithTags("Accounts")
            .WithMetadata(new RequestSizeLimitAttribute(CommandApiSetup.MaxCommandBodyBytes));

        accounts.MapPost("/", OpenAccount).WithName(nameof(OpenAccount)).WithSummary("Open an account for a customer in a currency.");
        accounts.MapPost("/{accountId}/deposit", Deposit).WithName(nameof(Deposit)).WithSummary("Deposit money.");
        accounts.MapPost("/{accountId}/withdraw", Withdraw).WithName(nameof(Withdraw)).WithSummary("Withdraw money; never below zero.");
        accounts.MapPost("/{accountId}/close", Close).WithName(nameof(Close)).WithSummary("Close an account whose balance is zero.");
        return routes;
    }

    private static async Task<IResult> OpenAccount(
        OpenAccountRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        if ((Missing(("customerId", request.CustomerId), ("currency", request.Currency)) ?? BadKey(idempotencyKey)) is { } problem)
        {
            return problem;
        }

        if (request.AccountId is not null && !Identifiers.IsValid(request.AccountId))
        {
            return InvalidAccountId();
        }

        var accountId = request.AccountId
            ?? (idempotencyKey is null ? Guid.NewGuid() : IdempotencyKey.DeriveGuid($"open-account\n{idempotencyKey}")).ToString("N");
        var context = IdempotencyKey.ContextFor(idempotencyKey, accountId, "open", $"{request.CustomerId}\n{request.Currency}\n{request.AccountId}");
        var account = grains.GetGrain<IAccountGrain>(accountId);
        var result = await GrainRetry.SendAsync(() => account.Open(new OpenAccount(request.CustomerId!, request.Currency!), context), cancellationToken);
        return result.Rejection is { } rejection
            ? RejectionProblems.ToProblem(rejection)
            : TypedResults.Created($"/api/accounts/{accountId}", new CommandAccepted(accountId, result.Version, result.Position));
    }

    private static Task<IResult> Deposit(
        string accountId,
        AmountRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        IGrainFactory grains,
        CancellationToken cancellationToken) =>
        RunAmountCommand(accountId, request, idempotencyKey, "deposit", (account, amount, context) => account.Deposit(new DepositMoney(amount), context), grains, cancellationToken);

    private static Task<IResult> Withdraw(
        string accountId,
        AmountRequest request,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        IGrainFactory grains,
        CancellationToken cancellationToken) =>
        RunAmountCommand(accountId, request, idempotencyKey, "withdraw", (account, amount, context) => account.Withdraw(new WithdrawMoney(amount), context), grains, cancellationToken);

    private static async Task<IResult> Close(
        string accountId,
        [FromHeader(Name = IdempotencyKey.Header)] string? idempotencyKey,
        IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        if (!Identifiers.IsValid(accountId))
        {
            return InvalidAccountId();
        }

        if (BadKey(idempotencyKey) is { } badKey)
        {
            return badKey;
        }

        var context = IdempotencyKey.ContextFor(idempotencyKey, accountId, "close", "");
        var account = grains.GetGrain<IAccountGrain>(accountId);
        return Accepted(accountId, await GrainRetry.SendAsync(() => account.Close(context), cancellationToken));
    }

    private static async Task<IResult> RunAmountCommand(
        string accountId,
        AmountRequest request,
        string? idempotencyKey,
        string operation,
        Func<IAccountGrain, decimal, CommandContext, Task<CommandResult>> send,
        IGrainFactory grains,
        CancellationToken cancellationToken)
    {
        if (!Identifiers.IsValid(accountId))
        {
            return InvalidAccountId();
        }

        if ((Missing(("amount", request.Amount?.ToString(CultureInfo.InvariantCulture))) ?? BadKey(idempotencyKey)) is { } problem)
        {
            return problem;
        }

        var amount = request.Amount!.Value;
        // G29 drops trailing zeros: 10.5 and 10.50 are the same request.
        var context = IdempotencyKey.ContextFor(idempotencyKey, accountId, operation, amount.ToString("G29", CultureInfo.InvariantCulture));
        var account = grains.GetGrain<IAccountGrain>(accountId);
        return Accepted(accountId, await GrainRetry.SendAsync(() => send(account, amount, context), cancellationToken));
    }

    private static IResult Accepted(string accountId, CommandResult result) =>
        result.Rejection is { } rejection
            ? RejectionProblems.ToProblem(rejection)
            : TypedResults.Ok(new CommandAccepted(accountId, result.Version, result.Position));

    private static ValidationProblem? Missing(params (string Field, string? Value)[] fields)
    {
        var errors = fields
            .Where(f => string.IsNullOrEmpty(f.Value))
            .ToDictionary(f => f.Field, f => new[] { $"The field '{f.Field}' is required." });
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The request is invalid.");
    }

    private static ValidationProblem? BadKey(string? idempotencyKey) =>
        idempotencyKey is null || IdempotencyKey.IsValid(idempotencyKey)
            ? null
            : TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [IdempotencyKey.Header] = [$"An Idempotency-Key has 1 to {IdempotencyKey.MaxLength} printable ASCII characters."] },
                title: "The request is invalid.");

    private static ValidationProblem InvalidAccountId()
    {
        var errors = new Dictionary<string, string[]>();
        FieldChecks.Id(errors, "accountId", null);
        return FieldChecks.Problem(errors)!;
    }
}
