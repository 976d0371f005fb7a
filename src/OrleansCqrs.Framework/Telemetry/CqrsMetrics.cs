using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Telemetry;

/// <summary>
/// The framework's instruments on <see cref="CqrsTelemetry.Meter"/>. Names, units and tags are documented in
/// docs/telemetry.md; change one and the dashboards built on it break, so treat them as public API.
/// </summary>
public static class CqrsMetrics
{
    /// <summary>Lag buckets in milliseconds: fine below 100 ms, where the lag target is, coarse up to a minute.</summary>
    private static readonly double[] LagBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];

    /// <summary>Commands an aggregate ran, by <c>aggregate</c>, <c>command</c>, <c>outcome</c> and rejection <c>code</c>.</summary>
    public static Counter<long> Commands { get; } = CqrsTelemetry.Meter.CreateCounter<long>(
        "orleanscqrs.commands", "{command}", "Commands run by aggregates, by outcome: accepted, rejected (with its code) or failed (with the exception type).");

    /// <summary>Appends committed together in one group-commit batch.</summary>
    public static Histogram<int> BatchSize { get; } = CqrsTelemetry.Meter.CreateHistogram(
        "orleanscqrs.eventstore.batch.size", "{append}", "Appends written in one group-commit transaction.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    /// <summary>How long one batch took to write and commit, in milliseconds.</summary>
    public static Histogram<double> CommitDuration { get; } = CqrsTelemetry.Meter.CreateHistogram(
        "orleanscqrs.eventstore.commit.duration", "ms", "Time to write and commit one group-commit batch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });

    /// <summary>Now minus the event's recorded time when a read model applies it, per <c>read_model</c>.</summary>
    public static Histogram<double> ProjectionLag { get; } = CqrsTelemetry.Meter.CreateHistogram(
        "orleanscqrs.projection.lag", "ms", "Time from an event's command to a read model applying it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });

    /// <summary>Events a stream projection knows exist beyond the one it just applied, per <c>read_model</c>.</summary>
    public static Histogram<long> ProjectionEventsBehind { get; } = CqrsTelemetry.Meter.CreateHistogram(
        "orleanscqrs.projection.events_behind", "{event}", "Events of its stream a read model knew of but had not applied, sampled as it applies one.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 50, 100, 1000] });

    /// <summary>Catch-ups the healer asked of projections that had not reported an event delivered, per <c>read_model</c> and <c>outcome</c>.</summary>
    public static Counter<long> HealerCatchUps { get; } = CqrsTelemetry.Meter.CreateCounter<long>(
        "orleanscqrs.healer.catchups", "{catchup}", "Projections the healer asked to catch up from the log because a delivery was not seen.");

    /// <summary>Open live-feed (SSE) connections of this front end.</summary>
    public static UpDownCounter<long> LiveListeners { get; } = CqrsTelemetry.Meter.CreateUpDownCounter<long>(
        "orleanscqrs.live.listeners", "{listener}", "Server-sent-event listeners connected to this front end's live feed.");

    /// <summary>Requests a front-end limit refused, by <c>limit</c> and <c>code</c>.</summary>
    public static Counter<long> LimitRefusals { get; } = CqrsTelemetry.Meter.CreateCounter<long>(
        "orleanscqrs.limits.refusals", "{request}", "Requests refused by a rate or concurrency limit of the front end.");

    internal static void CountCommand(string aggregate, string? command, CommandResult result)
    {
        if (!Commands.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "aggregate", aggregate },
            { "command", command ?? "unnamed" },
            { "outcome", result.IsAccepted ? "accepted" : "rejected" },
            { "code", result.Rejection?.Code ?? "" },
            { "replayed", result.Replayed },
        };
        Commands.Add(1, tags);
    }

    internal static void CountFailedCommand(string aggregate, string? command, Exception exception)
    {
        if (!Commands.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "aggregate", aggregate },
            { "command", command ?? "unnamed" },
            { "outcome", "failed" },
            { "code", exception.GetType().Name },
            { "replayed", false },
        };
        Commands.Add(1, tags);
    }

    /// <summary>Records the lag of an event a read model just applied (a clock read only when someone listens).</summary>
    internal static void RecordApplied(string readModel, DateTimeOffset recordedAt, long eventsBehind)
    {
        if (ProjectionLag.Enabled)
        {
            ProjectionLag.Record(Math.Max(0, (DateTimeOffset.UtcNow - recordedAt).TotalMilliseconds), new KeyValuePair<string, object?>("read_model", readModel));
        }

        if (eventsBehind >= 0 && ProjectionEventsBehind.Enabled)
        {
            ProjectionEventsBehind.Record(eventsBehind, new KeyValuePair<string, object?>("read_model", readModel));
        }
    }
}
