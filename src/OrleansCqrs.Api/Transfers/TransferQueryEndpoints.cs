using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Api.Transfers;

/// <summary>Following a transfer over HTTP: its status and steps, waiting for its end if asked.</summary>
public static class TransferQueryEndpoints
{
    public static IEndpointRouteBuilder MapTransferQueryEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/transfers").WithTags("Transfers")
            .MapGet("/{transferId}", GetTransfer)
            .ProducesProblems(Answers.QueryProblems, StatusCodes.Status404NotFound)
            .WithWaitForEnd()
            .WithName(nameof(GetTransfer))
            .WithSummary("Customer (the transfers it requested) or operator (every transfer): a transfer's status and steps; with waitMs, once it has ended or after that long.")
            .WithDescription(
                "status is pending, completed or failed; a failed transfer says why (code, reason). waitMs (0 to 10000, default 0) waits for the transfer "
                + "to complete or fail, and answers it as it is when the wait runs out. A transfer another customer requested answers 404 transfer-not-found, "
                + "as an unknown one does; an operator's transfer is visible to operators only.");
        return routes;
    }

    /// <summary>
    /// Read from the transfer grain itself (answered beside its running steps), not from a read model: one grain per
    /// transfer already holds the whole view, and it knows when the transfer ends.
    /// </summary>
    private static async Task<Results<Ok<TransferDetails>, ValidationProblem, ProblemHttpResult>> GetTransfer(
        string transferId, int? waitMs, HttpContext http, IGrainFactory grains)
    {
        if (!Callers.TryGetActor(http, out var caller))
        {
            return AuthProblems.NoCaller();
        }

        var errors = new Dictionary<string, string[]>();
        FieldChecks.Id(errors, "transferId", transferId);
        FieldChecks.Range(errors, "waitMs", waitMs, 0, ReadWait.MaxMs);
        if (FieldChecks.Problem(errors) is { } invalid)
        {
            return invalid;
        }

        // Whose it is first, without waiting: another customer's transfer is refused at once, as an unknown one is.
        var transfer = grains.GetGrain<ITransferGrain>(transferId);
        var cancellationToken = http.RequestAborted;
        var view = await GrainRetry.QueryAsync(() => transfer.Get(TimeSpan.Zero), TimeSpan.Zero, cancellationToken);
        if (view is null || !TransferAccess.MayRead(caller, view))
        {
            return RejectionProblems.ToResult<Ok<TransferDetails>>(TransferRefusals.NotFound);
        }

        if (!view.HasEnded && waitMs > 0)
        {
            var wait = TimeSpan.FromMilliseconds(waitMs.Value);
            view = await GrainRetry.QueryAsync(() => transfer.Get(wait), wait, cancellationToken) ?? view;
        }

        return TypedResults.Ok(TransferDetails.Of(view));
    }
}
