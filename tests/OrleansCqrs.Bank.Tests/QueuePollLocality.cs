using System.Collections.Concurrent;
using Orleans.Providers;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Counts the polls of memory-stream queue grains by their pulling agents, split by whether the agent polled a queue
/// grain on its own silo or across silos: where the queue grains land, as seen by who polls them. It also remembers
/// when each silo's agent last polled each queue: which silos pull the queues.
/// </summary>
public sealed class QueuePollLocality : IIncomingGrainCallFilter
{
    private static long _local;
    private static long _remote;

    private static readonly ConcurrentDictionary<(SiloAddress Agent, GrainId Queue), long> LastPolls = new();

    public static (long Local, long Remote) Counts => (Interlocked.Read(ref _local), Interlocked.Read(ref _remote));

    /// <summary>The queues polled by the agents of <paramref name="silos"/> in the last <paramref name="window"/>, and by which silo.</summary>
    public static IReadOnlyList<(GrainId Queue, SiloAddress Agent)> PolledWithin(TimeSpan window, IReadOnlyCollection<SiloAddress> silos)
    {
        var since = Environment.TickCount64 - (long)window.TotalMilliseconds;
        return [.. LastPolls.Where(p => p.Value >= since && silos.Contains(p.Key.Agent)).Select(p => (p.Key.Queue, p.Key.Agent))];
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.Name == nameof(IMemoryStreamQueueGrain.Dequeue)
            && context.SourceId is { } source
            && SystemTargetGrainId.TryParse(source, out var agent))
        {
            Interlocked.Increment(ref agent.GetSiloAddress().Equals(context.TargetContext.Address.SiloAddress) ? ref _local : ref _remote);
            LastPolls[(agent.GetSiloAddress(), context.TargetContext.GrainId)] = Environment.TickCount64;
        }

        return context.Invoke();
    }
}
