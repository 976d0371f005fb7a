using OpenTelemetry.Trace;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Starts a trace only for work someone asked for: an HTTP request, a caller's <see cref="CqrsTelemetry.CommandSpan"/>,
/// or an append or commit of the framework's own (a process manager's step runs without a request). Every other root is background work (the stream pulling agents
/// poll their queues every few milliseconds, the dashboard samples every silo each second, projections poll the log):
/// each would be a trace of its own and bury the commands'. A span with a parent follows its parent's decision.
/// </summary>
/// <remarks>Of the roots kept, <paramref name="ratio"/> are sampled, by trace id (every process decides alike).</remarks>
internal sealed class RootSpanSampler(double ratio) : Sampler
{
    /// <summary>The activity ASP.NET Core starts for each request (its operation name, before it is renamed by route).</summary>
    private const string HttpRequest = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly TraceIdRatioBasedSampler _share = new(Math.Clamp(ratio, 0, 1));

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Name is HttpRequest or CqrsTelemetry.CommandSpan or CqrsTelemetry.AppendSpan or CqrsTelemetry.CommitSpan
            ? _share.ShouldSample(samplingParameters)
            : Drop;
}
