using System.Diagnostics;
using OpenTelemetry.Trace;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Keeps a trace only when it starts with work someone asked for: an incoming request (server span) or a span of our
/// own (a group commit). A root client span is background work (a projection polling the log, a timer's database
/// read, the live feed's polling calls): recording each would bury the command traces. Children follow their parent.
/// </summary>
internal sealed class RootSpanSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Drop : Keep;
}
