using System.Diagnostics;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Telemetry;

/// <summary>
/// One trace per command: the HTTP request, the grain call, the append and the read model's update share a trace id,
/// and the group commit that wrote the append links to it (docs/telemetry.md, "Reading a trace").
/// </summary>
public sealed class CommandTraceTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_deposit_over_http_is_one_trace_from_the_request_through_the_append_to_the_account_summary()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var account = await client.OpenAccountAsync(customer);
        // The summary active and at version 1 first: a projection that activates after the deposit was committed
        // reads it from the store, where an event carries no trace context (docs/telemetry.md).
        await (await client.GetAsync($"/api/accounts/{account}?minVersion=1")).OkAsync();

        await client.DepositAsync(account, 25m);

        var request = await SpanAsync(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore"
            && Equals(s.GetTagItem("url.path"), $"/api/accounts/{account}/deposit"), "the deposit's HTTP span");
        var projection = await SpanAsync(s => s.TraceId == request.TraceId && s.DisplayName == "project AccountSummaryProjection", "the account summary's update in the deposit's trace");
        var trace = fixture.Spans.Snapshot().Where(s => s.TraceId == request.TraceId).ToList();
        // Orleans files calls to interfaces in namespaces starting with "Orleans" (ours too) under its runtime source.
        var grainCall = trace.FirstOrDefault(s => s.Source.Name.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal)
            && s.Kind == ActivityKind.Server && s.DisplayName.EndsWith("/Execute", StringComparison.Ordinal));
        var append = trace.FirstOrDefault(s => s.Source.Name == "OrleansCqrs" && s.DisplayName == "append");

        Assert.True(grainCall is not null, $"No grain-call span in the trace: {Describe(trace)}");
        Assert.True(append is not null, $"No append span in the trace: {Describe(trace)}");
        Assert.Equal("DepositMoney", append.GetTagItem("orleanscqrs.command"));
        Assert.Equal(grainCall.SpanId, append.ParentSpanId);
        Assert.Equal(append.SpanId, projection.ParentSpanId);
        Assert.Equal($"bank.account-{account}", projection.GetTagItem("orleanscqrs.stream_id"));
    }

    [Fact]
    public async Task The_group_commit_that_wrote_an_append_links_to_the_append()
    {
        var customer = $"cust-{Guid.NewGuid():N}";
        using var client = fixture.Host.CustomerClient(customer);
        var account = await client.OpenAccountAsync(customer);

        await client.DepositAsync(account, 5m);

        var append = await SpanAsync(s => s.DisplayName == "append" && Equals(s.GetTagItem("orleanscqrs.command"), "DepositMoney")
            && Equals(s.GetTagItem("orleanscqrs.stream_id"), $"bank.account-{account}"), "the deposit's append span");
        var commit = await SpanAsync(s => s.DisplayName == "commit" && s.Links.Any(l => l.Context.SpanId == append.SpanId), "a commit span linking to the append");

        Assert.NotEqual(append.TraceId, commit.TraceId);
        Assert.Equal("sqlite", commit.GetTagItem("orleanscqrs.store"));
    }

    private Task<Activity> SpanAsync(Func<Activity, bool> match, string what) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Spans.Snapshot().FirstOrDefault(match)),
            span => span is not null,
            Deadline,
            what,
            _ => Describe(fixture.Spans.Snapshot().TakeLast(40)))!;

    private static string Describe(IEnumerable<Activity> spans) =>
        string.Join("; ", spans.Select(s => $"{s.Source.Name}:{s.DisplayName}({s.Kind}) trace {s.TraceId} span {s.SpanId} parent {s.ParentSpanId}"));
}
