using Orleans.Providers;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Counts the polls of memory-stream queue grains by their pulling agents, split by whether the agent polled a queue
/// grain on its own silo or across silos: where the queue grains land, as seen by who polls them.
/// </summary>
public sealed class QueuePollLocality : IIncomingGrainCallFilter
{
    private static long _local;
    private static long _remote;

    public static (long Local, long Remote) Counts => (Interlocked.Read(ref _local), Interlocked.Read(ref _remote));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.Name == nameof(IMemoryStreamQueueGrain.Dequeue)
            && context.SourceId is { } source
            && SystemTargetGrainId.TryParse(source, out var agent))
        {
            Interlocked.Increment(ref agent.GetSiloAddress().Equals(context.TargetContext.Address.SiloAddress) ? ref _local : ref _remote);
        }

        return context.Invoke();
    }
}
