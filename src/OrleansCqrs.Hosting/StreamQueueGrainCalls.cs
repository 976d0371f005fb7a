using Orleans.Runtime.Placement;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Watches the calls to the memory-stream queue grains of this silo, for two things.
/// <list type="bullet">
/// <item>
/// Each queue grain follows the pulling agent that polls it. <see cref="StreamQueuePlacement"/> places a queue grain
/// with its first poller, but the queue balancer hands queues to other silos as they join, and a placed grain does not
/// follow: a quarter of all polls crossed silos on a two-silo cluster. When an agent on another silo polls a queue,
/// the queue grain migrates there (the grain carries its queued messages across a migration).
/// </item>
/// <item>
/// An event enqueued wakes this silo's agent for that queue (<see cref="QueueArrivals"/>), which otherwise waits
/// instead of polling an empty queue every few milliseconds.
/// </item>
/// </list>
/// </summary>
internal sealed class StreamQueueGrainCalls(QueueArrivals arrivals) : IIncomingGrainCallFilter
{
    private static readonly GrainType QueueGrain = GrainType.Create("memorystreamqueue");

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (!context.TargetContext.GrainId.Type.Equals(QueueGrain))
        {
            return context.Invoke();
        }

        if (context.SourceId is { } source
            && SystemTargetGrainId.TryParse(source, out var agent)
            && agent.GetSiloAddress() is var agentSilo
            && !agentSilo.Equals(context.TargetContext.Address.SiloAddress))
        {
            // Takes effect once the call is done and the grain idle; the placement hint names the agent's silo.
            context.TargetContext.Migrate(new Dictionary<string, object> { [IPlacementDirector.PlacementHintKey] = agentSilo });
        }

        return string.Equals(context.MethodName, "Enqueue", StringComparison.Ordinal) ? EnqueueAsync(context) : context.Invoke();
    }

    private async Task EnqueueAsync(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        arrivals.Arrived(QueueArrivals.KeyOf(context.TargetContext.GrainId));
    }
}
