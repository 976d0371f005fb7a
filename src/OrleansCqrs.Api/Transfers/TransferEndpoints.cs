using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Transfers;

/// <summary>Requesting a transfer over HTTP: checked against the read side first, then recorded; it runs on its own.</summary>
public static class TransferEndpoints
{
    /// <summary>Names the request in its fingerprint; part of stored fingerprints, never rename it.</summary>
    public const string Operation = "transfer";

    /// <summary>Keeps transfer ids derived from an Idempotency-Key apart from other ids so derived; never change it.</summary>
    public const string NewIdScope = "transfer";

    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder routes)
    {
        var transfers = routes.MapGroup("/api/transfers").WithTags("Transfers");
        transfers.MapPost("/", RequestTransfer)
            .WithMetadata(new RequestSizeLimitAttribute(CommandApiSetup.MaxCommandBodyBytes))
            .AcceptsIdempotencyKey()
            .ProducesProblems(Answers.CommandProblems, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .WithName(nameof(RequestTransfer))
            .WithSummary("Customer (from its own accounts) or operator (from any): move money to another account. 202 at once; the transfer then runs on its own.")
            .WithDescription(
                "A customer transfers from its own accounts only, to any account; another customer's source account answers 404 account-not-found, "
                + "as a missing one does. An operator transfers from any account. Before the transfer is requested, the accounts' summaries (the read side) "
                + "are checked: either account missing is 404, closed 409 account-closed, in different currencies 422 currency-mismatch. The accounts decide "
                + "again when the money moves: a transfer the read side let through can still end failed (insufficient-funds, account-closed), with any "
                + "debited money refunded; follow it at the Location. transferId is the request's own idempotency key: the same transferId (or, without one, "
                + "the same Idempotency-Key from the same caller) with the same body is the same transfer (202 again, no second debit), with another body 422.");
        return routes;
    }

    private static async Task<Results<Accepted<TransferAccepted>, ValidationProblem, ProblemHttpResult>> RequestTransfer(
        // Without a body the request is null (not a binding failure), so the 400 can name the body as other commands do.
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TransferRequest request,
        HttpContext http,
        IGrainFactory grains)
    {
        if (!Callers.TryGetActor(http, out var caller))
        {
            return AuthProblems.NoCaller();
        }

        if (request is null)
        {
            return FieldChecks.MissingBody();
        }

        var errors = new Dictionary<string, string[]>();
        RequiredId(errors, "fromAccountId", request.FromAccountId);
        RequiredId(errors, "toAccountId", request.ToAccountId);
        FieldChecks.Required(errors, "amount", request.Amount);
        if (request.TransferId is not null)
        {
            FieldChecks.ChosenId(errors, "transferId", request.TransferId);
        }

        var key = FieldChecks.IdempotencyKey(errors, http.Request);
        if (FieldChecks.Problem(errors) is { } invalid)
        {
            return invalid;
        }

        var (from, to, amount) = (request.FromAccountId!, request.ToAccountId!, request.Amount!.Value);
        if (from == to)
        {
            return RejectionProblems.ToResult<Accepted<TransferAccepted>>(TransferRejections.SameAccount);
        }

        if (Money.Problem(amount) is { } amountProblem)
        {
            return RejectionProblems.ToResult<Accepted<TransferAccepted>>(AccountRejections.InvalidAmount(amountProblem));
        }

        var chosenId = request.TransferId ?? (key is null ? null : IdempotencyKey.NewAggregateId(NewIdScope, key, caller).ToString("N"));
        var transferId = chosenId ?? Guid.NewGuid().ToString("N");
        var transfer = grains.GetGrain<ITransferGrain>(transferId);
        var cancellationToken = http.RequestAborted;
        // The command id comes from the transfer id alone, so any retry of this transfer is recognised, whoever sends it
        // and however its id was chosen; the fingerprint is the body, so another body under the same id is a 422.
        var context = IdempotencyKey.ContextWithId(CommandIdOf(transferId), Operation, IdempotencyKey.Canonical(from, to, amount), caller);

        // A retry of a transfer the caller may see skips the read side: what it says now (the source emptied and closed
        // since, say) is no reason to refuse a request that was accepted, and the grain answers the retry from its record.
        var earlier = chosenId is null ? null : await GrainRetry.QueryAsync(() => transfer.Get(TimeSpan.Zero), TimeSpan.Zero, cancellationToken);
        string currency;
        if (earlier is not null && TransferAccess.MayRead(caller, earlier))
        {
            currency = earlier.Currency;
        }
        else
        {
            var check = await TransferChecks.CheckAsync(grains, caller, from, to, cancellationToken);
            if (check.Refusal is { } refusal)
            {
                // Under an id the client chose and no transfer has, the refusal is recorded as the transfer's answer to this
                // request, so that a retry gets it again even once the facts have moved on (the missing account opened
                // since). Should a transfer have been accepted under the id meanwhile, this caller still gets its refusal.
                if (chosenId is not null && earlier is null)
                {
                    var refused = new RequestTransfer(from, to, amount, "", CustomerOf(caller), refusal);
                    var recorded = await GrainRetry.SendAsync(() => transfer.Execute(refused, context), cancellationToken);
                    refusal = recorded.Rejection ?? refusal;
                }

                return TransferRefusals.Answer<Accepted<TransferAccepted>>(refusal);
            }

            currency = check.Currency;
        }

        var command = new RequestTransfer(from, to, amount, currency, CustomerOf(caller));
        var result = await GrainRetry.SendAsync(() => transfer.Execute(command, context), cancellationToken);
        if (result.Rejection is { } rejection)
        {
            return TransferRefusals.Answer<Accepted<TransferAccepted>>(rejection);
        }

        // A first request is pending (its steps run after it is answered); a retry tells where the transfer is now.
        var status = result.Replayed
            ? (await GrainRetry.QueryAsync(() => transfer.Get(TimeSpan.Zero), TimeSpan.Zero, cancellationToken))?.Status ?? TransferView.Pending
            : TransferView.Pending;
        return TypedResults.Accepted($"/api/transfers/{transferId}", new TransferAccepted(transferId, status));
    }

    /// <summary>The id of the command that requests transfer <paramref name="transferId"/>.</summary>
    public static Guid CommandIdOf(string transferId) => CommandIds.Derive($"{TransferGrain.StreamName}/{transferId}", "request");

    /// <summary>The customer a transfer is requested for: the caller's, unless an operator (or a trusted caller) asks.</summary>
    private static string? CustomerOf(Actor? caller) =>
        caller is null || caller.IsInRole(BankRoles.Operator) ? null : caller.Party;

    private static void RequiredId(Dictionary<string, string[]> errors, string field, string? value)
    {
        FieldChecks.Required(errors, field, value);
        if (!errors.ContainsKey(field))
        {
            FieldChecks.Id(errors, field, value);
        }
    }
}
