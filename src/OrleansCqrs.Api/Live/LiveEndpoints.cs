using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansCqrs.Api.Infrastructure;

namespace OrleansCqrs.Api.Live;

/// <summary>Server-Sent Events of read-model changes as they happen.</summary>
public static class LiveEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        return services;
    }

    public static IEndpointRouteBuilder MapLiveEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/live", Live)
            .WithTags("Live")
            .WithName("Live")
            .WithSummary("Server-Sent Events: an 'account' event with the new account summary at each change; filter with accountId or customerId.");
        return routes;
    }

    private static async Task<IResult> Live(
        string? accountId,
        string? customerId,
        LiveFeed feed,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        HttpContext context)
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
        using var subscription = await feed.SubscribeAsync(accountId, customerId, aborted);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.WriteAsync(": connected\n\n", aborted);
        await response.Body.FlushAsync(aborted);
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                beat.CancelAfter(Heartbeat);
                try
                {
                    var summary = await subscription.Changes.ReadAsync(beat.Token);
                    await response.WriteAsync($"event: account\ndata: {JsonSerializer.Serialize(summary, json.Value.SerializerOptions)}\n\n", aborted);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await response.WriteAsync(": heartbeat\n\n", aborted);
                }

                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }

        return Results.Empty;
    }
}
