using Microsoft.AspNetCore.Http.HttpResults;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Live;

/// <summary>Server-Sent Events of read-model changes as they happen.</summary>
public static class LiveEndpoints
{
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
            .WithSummary("Server-Sent Events: an 'account' event with the new account summary at each change; filter with accountId or customerId.")
            .Produces<AccountSummary>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblems(Answers.QueryProblems);
        return routes;
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Live(string? accountId, string? customerId, LiveFeed feed, HttpContext context)
    {
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
        try
        {
            var admission = await feed.SubscribeAsync(accountId, customerId, aborted);
            if (admission.Subscription is not { } subscription)
            {
                return LiveProblems.Refused(context, admission.Refusal!.Value);
            }

            using (subscription)
            {
                await LiveEventStream.WriteAsync(subscription, context.Response, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }
}
