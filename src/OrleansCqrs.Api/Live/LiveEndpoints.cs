using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Timeouts;
using OrleansCqrs.Api.Accounts;
using OrleansCqrs.Api.Customers;
using OrleansCqrs.Bank;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.AspNetCore.Limits;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Live;

/// <summary>Server-Sent Events of read-model changes as they happen.</summary>
public static class LiveEndpoints
{
    /// <summary>The longest delay a timer takes (<c>uint.MaxValue - 1</c> ms).</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSingleton(sp => OrleansCqrsSettings.From(sp.GetRequiredService<IConfiguration>()).Live);
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }

    public static IEndpointRouteBuilder MapLiveEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/live", Live)
            .WithTags("Live")
            .WithName("Live")
            .WithSummary("Customer (its own accounts) or operator (every account): Server-Sent Events, an 'account' event with the new account summary at each change and a 'transfer' event at each transfer status change; filter with accountId or customerId.")
            .WithDescription("A customer may filter by its own customer id or one of its own account ids (another's answers 404, as a missing one does); "
                + "without a filter a customer gets its own customer's updates. Only an operator may listen to every account (no filter) or filter by any id. "
                + "A transfer's changes (pending, completed, failed) go to the requesting customer and to the source account's listeners (for a transfer its owner or an operator asked for); "
                + "the destination's listeners get it once completed. The stream ends when the caller's token expires; reconnect with a fresh one.")
            .Produces<AccountSummary>(StatusCodes.Status200OK, "text/event-stream")
            // A live connection lasts as long as its listener wants: no request timeout (the live caps bound them).
            .WithMetadata(new DisableRequestTimeoutAttribute())
            .ProducesProblems(Answers.QueryProblems, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Live(string? accountId, string? customerId, LiveFeed feed, IGrainFactory grains, HttpContext context)
    {
        if (!Callers.TryGetActor(context, out var caller))
        {
            return AuthProblems.NoCaller();
        }

        var errors = new Dictionary<string, string[]>();
        if (accountId is not null)
        {
            FieldChecks.Id(errors, "accountId", accountId);
        }

        if (customerId is not null)
        {
            FieldChecks.Id(errors, "customerId", customerId);
        }

        if (FieldChecks.Problem(errors) is { } problem)
        {
            return problem;
        }

        var aborted = context.RequestAborted;
        if (caller is not null && !caller.IsInRole(BankRoles.Operator))
        {
            // A customer listens to its own: another customer or account is answered as a missing one.
            if (customerId is not null && !caller.ActsFor(customerId))
            {
                return RejectionProblems.ToResult<EmptyHttpResult>(CustomerEndpoints.NotFound);
            }

            if (accountId is not null && !await AccountOwners.MayUseAsync(grains, caller, accountId, aborted))
            {
                return RejectionProblems.ToResult<EmptyHttpResult>(AccountRejections.NotFound);
            }

            if (accountId is null && customerId is null)
            {
                if (caller.Party is null)
                {
                    return RejectionProblems.ToResult<EmptyHttpResult>(LiveProblems.OperatorsOnly);
                }

                customerId = caller.Party;
            }
        }

        try
        {
            var party = caller is null || caller.IsInRole(BankRoles.Operator) ? null : caller.Party;
            var admission = await feed.SubscribeAsync(CallerPartition.KeyOf(context), accountId, customerId, party, aborted);
            if (admission.Subscription is not { } subscription)
            {
                return LiveProblems.Refused(context, admission.Refusal!.Value);
            }

            using (subscription)
            {
                // A stream must not outlive the token it was opened with: at its expiry the stream ends, and the
                // listener reconnects with a fresh token (EventSource does so by itself) or is refused. A timer waits
                // at most about 49.7 days: a token that lasts longer ends its stream then.
                using var expiry = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                if (TokenLifetime.Remaining(context.User, TimeProvider.System) is { } remaining)
                {
                    expiry.CancelAfter(remaining < LongestTimer ? remaining : LongestTimer);
                }

                await LiveEventStream.WriteAsync(subscription, context.Response, expiry.Token);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (OperationCanceledException)
        {
            // The token expired: the stream ends here.
        }

        return TypedResults.Empty;
    }
}
