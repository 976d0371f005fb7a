using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.AspNetCore.Limits;

namespace OrleansCqrs.Framework.AspNetCore.Tests.Limits;

/// <summary>The limits through ASP.NET's rate-limiting middleware, as <see cref="CqrsLimits.UseCqrsLimits"/> puts it in a pipeline.</summary>
public sealed class CallerLimiterTests
{
    private const string WaitingRead = "/item?minVersion=5&waitMs=1000";

    [Fact]
    public async Task A_request_a_later_limit_refuses_spends_one_token_of_the_buckets_before_it_not_two()
    {
        // Three reads, one of them waiting at a time. The middleware asks a refused request's limiter twice (at once,
        // then willing to wait): the read bucket must not be charged the second time.
        await using var pipeline = Pipeline(
            ("OrleansCqrs:Limits:Reads:TokenLimit", "3"),
            ("OrleansCqrs:Limits:Reads:PeriodSeconds", "600"),
            ("OrleansCqrs:Limits:WaitingReads:PerCaller", "1"));

        var parked = pipeline.SendAsync(WaitingRead);
        await pipeline.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var refused = await pipeline.SendAsync(WaitingRead);
        var plain = await pipeline.SendAsync("/item");
        pipeline.Release.SetResult();

        Assert.Equal((429, "waiting-reads-per-caller"), (refused.Status, refused.Code));
        Assert.Equal(200, plain.Status);
        Assert.Equal(200, (await parked).Status);
    }

    [Fact]
    public async Task A_read_waits_only_when_it_asks_for_a_version_or_position_with_a_wait()
    {
        await using var pipeline = Pipeline(("OrleansCqrs:Limits:WaitingReads:PerCaller", "1"));

        var parked = pipeline.SendAsync(WaitingRead);
        await pipeline.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var answers = new List<int>();
        foreach (var path in new[] { "/item", "/item?minVersion=0", "/item?minVersion=5&waitMs=0", "/item?minPosition=9", "/item?minVersion=x" })
        {
            answers.Add((await pipeline.SendAsync(path, release: true)).Status);
        }

        pipeline.Release.SetResult();
        await parked;
        Assert.Equal([200, 200, 200, 429, 429], answers);
    }

    [Fact]
    public async Task A_read_that_waits_for_its_item_to_end_waits_whenever_it_asks_for_a_wait()
    {
        await using var pipeline = new LimitPipeline([("OrleansCqrs:Limits:WaitingReads:PerCaller", "1")], ReadWaitMetadata.UntilEnd);

        var parked = pipeline.SendAsync("/item?waitMs=1000");
        await pipeline.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var answers = new List<int>();
        foreach (var path in new[] { "/item", "/item?waitMs=0", "/item?minVersion=5&waitMs=0", "/item?waitMs=5", "/item?waitMs=x" })
        {
            answers.Add((await pipeline.SendAsync(path, release: true)).Status);
        }

        pipeline.Release.SetResult();
        await parked;
        Assert.Equal([200, 200, 200, 429, 429], answers);
    }

    private static LimitPipeline Pipeline(params (string Key, string Value)[] settings) => new(settings, ReadWaitMetadata.Instance);

    /// <summary>The limits in front of a read endpoint that takes a wait (as <c>read</c> says); a waiting read is held until released.</summary>
    private sealed class LimitPipeline : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly RequestDelegate _app;

        private readonly ReadWaitMetadata _read;

        public LimitPipeline((string Key, string Value)[] settings, ReadWaitMetadata read)
        {
            _read = read;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();
            _services = new ServiceCollection().AddLogging().AddProblemDetails().AddCqrsLimits(configuration).BuildServiceProvider();
            var app = new ApplicationBuilder(_services);
            app.UseCqrsLimits();
            app.Run(async context =>
            {
                if (context.Request.Query.ContainsKey("waitMs") && !context.Items.ContainsKey("release"))
                {
                    Entered.TrySetResult();
                    await Release.Task;
                }

                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            _app = app.Build();
        }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>One GET from 192.0.2.1 to the read endpoint; <paramref name="release"/>: answered at once even if it waits.</summary>
        public async Task<(int Status, string? Code)> SendAsync(string pathAndQuery, bool release = false)
        {
            var context = new DefaultHttpContext { RequestServices = _services };
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.1");
            context.Request.Method = HttpMethods.Get;
            var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
            context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
            context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(_read), "read"));
            if (release)
            {
                context.Items["release"] = true;
            }

            var body = new MemoryStream();
            context.Response.Body = body;
            await _app(context);
            var code = body.Length == 0 ? null : JsonDocument.Parse(body.ToArray()).RootElement.GetProperty("code").GetString();
            return (context.Response.StatusCode, code);
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
