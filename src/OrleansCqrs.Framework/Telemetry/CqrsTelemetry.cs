using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansCqrs.Framework.Telemetry;

/// <summary>
/// The framework's <see cref="ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>, both named
/// <see cref="Name"/>: a host that wants our spans and metrics listens to that name (docs/telemetry.md lists them).
/// Nothing here costs more than a check while nobody listens: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null, and an instrument without a listener records nothing.
/// </summary>
public static class CqrsTelemetry
{
    public const string Name = "OrleansCqrs";

    /// <summary>The span of one append (a command's write): a child of the grain call, or a root for a process step.</summary>
    public const string AppendSpan = "append";

    /// <summary>
    /// The name a caller that is no HTTP front end (a worker, the benchmark) gives its own span around sending a
    /// command, so that the command gets a trace of its own as an HTTP request does.
    /// </summary>
    public const string CommandSpan = "command";

    /// <summary>The span of one group-commit transaction: a root linking to the appends it wrote.</summary>
    public const string CommitSpan = "commit";

    public static ActivitySource Source { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);

    /// <summary>The span of one append, from the aggregate's call to the store's answer (it waits for the batch's commit).</summary>
    internal static Activity? StartAppend(string streamId, long expectedVersion, int events, string? command)
    {
        var activity = Source.StartActivity(AppendSpan);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("orleanscqrs.stream_id", streamId);
            activity.SetTag("orleanscqrs.expected_version", expectedVersion);
            activity.SetTag("orleanscqrs.events", events);
            activity.SetTag("orleanscqrs.command", command);
        }

        return activity;
    }

    /// <summary>
    /// The span of a read model applying an event that arrived on its stream: a child of the append that committed it
    /// (<see cref="Events.EventEnvelope.TraceParent"/>), so the command's trace shows its read models catching up.
    /// Null when tracing is off or the event came without a trace context (read back from the store).
    /// </summary>
    /// <remarks><paramref name="spanName"/> is <see cref="ProjectionSpanName"/>'s, kept by the caller: no string built per event.</remarks>
    internal static Activity? StartProjection(string readModel, string spanName, Events.EventEnvelope envelope)
    {
        if (envelope.TraceParent is null || !Source.HasListeners()
            || !ActivityContext.TryParse(envelope.TraceParent, null, isRemote: true, out var parent))
        {
            return null;
        }

        var activity = Source.StartActivity(ActivityKind.Consumer, parent, name: spanName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("orleanscqrs.read_model", readModel);
            activity.SetTag("orleanscqrs.stream_id", envelope.StreamId);
            activity.SetTag("orleanscqrs.version", envelope.Version);
        }

        return activity;
    }

    /// <summary>The name of a read model's span: <c>project AccountSummaryProjection</c>.</summary>
    internal static string ProjectionSpanName(string readModel) => "project " + readModel;

    /// <summary>Marks the span failed with the exception's type and message.</summary>
    internal static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
    }
}
