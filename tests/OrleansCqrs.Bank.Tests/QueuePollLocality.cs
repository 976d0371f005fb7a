using System.Collections.Concurrent;
using Orleans.Providers;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Counts the polls of memory-stream queue grains by their pulling agents, split by whether the agent polled a queue
/// grain on its own silo or across silos: where the queue grains land, as seen by who polls them. It also remembers
/// when each silo's agent last polled each queue (which silos pull the queues), how often each silo's agents polled,
/// and how long an event waited in its queue before the next poll (how promptly an agent reads what arrives).
/// </summary>
public sealed class QueuePollLocality : IIncomingGrainCallFilter
{
    private static long _local;
    private static long _remote;

    private static readonly ConcurrentDictionary<(SiloAddress Agent, GrainId Queue), long> LastPolls = new();
    private static readonly ConcurrentDictionary<SiloAddress, long> PollsBySilo = new();
    private static readonly ConcurrentDictionary<(SiloAddress Silo, GrainId Queue), long> PollsByQueue = new();
    private static readonly ConcurrentDictionary<(SiloAddress Silo, GrainId Queue), long> Unread = new();
    private static readonly ConcurrentDictionary<(SiloAddress Silo, GrainId Queue), ConcurrentQueue<TimeSpan>> ReadDelays = new();

    public static (long Local, long Remote) Counts => (Interlocked.Read(ref _local), Interlocked.Read(ref _remote));

    /// <summary>The queues polled by the agents of <paramref name="silos"/> in the last <paramref name="window"/>, and by which silo.</summary>
    public static IReadOnlyList<(GrainId Queue, SiloAddress Agent)> PolledWithin(TimeSpan window, IReadOnlyCollection<SiloAddress> silos)
    {
        var since = Environment.TickCount64 - (long)window.TotalMilliseconds;
        return [.. LastPolls.Where(p => p.Value >= since && silos.Contains(p.Key.Agent)).Select(p => (p.Key.Queue, p.Key.Agent))];
    }

    /// <summary>How many times the agents of <paramref name="silo"/> have polled a queue so far.</summary>
    public static long PollsBy(SiloAddress silo) => PollsBySilo.GetValueOrDefault(silo);

    /// <summary>How many times <paramref name="queue"/> on <paramref name="silo"/> has been polled so far.</summary>
    public static long PollsOf(SiloAddress silo, GrainId queue) => PollsByQueue.GetValueOrDefault((silo, queue));

    /// <summary>
    /// For the queue grains of <paramref name="silo"/>: for each event enqueued into a queue whose last poll had emptied
    /// it, the time from its enqueue to the next poll of that queue.
    /// </summary>
    public static IReadOnlyDictionary<GrainId, TimeSpan[]> ReadDelaysOn(SiloAddress silo) =>
        ReadDelays.Where(q => q.Key.Silo.Equals(silo)).ToDictionary(q => q.Key.Queue, q => q.Value.ToArray());

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Queue grains have the same ids in every test cluster of the process: a queue is told apart by its silo.
        var queue = (context.TargetContext.Address.SiloAddress!, context.TargetContext.GrainId);
        if (context.InterfaceMethod?.Name == nameof(IMemoryStreamQueueGrain.Enqueue))
        {
            // Calls to a queue grain take turns: the next poll of this queue starts after this enqueue.
            Unread.TryAdd(queue, System.Diagnostics.Stopwatch.GetTimestamp());
        }

        if (context.InterfaceMethod?.Name == nameof(IMemoryStreamQueueGrain.Dequeue)
            && context.SourceId is { } source
            && SystemTargetGrainId.TryParse(source, out var agent))
        {
            Interlocked.Increment(ref agent.GetSiloAddress().Equals(context.TargetContext.Address.SiloAddress) ? ref _local : ref _remote);
            LastPolls[(agent.GetSiloAddress(), context.TargetContext.GrainId)] = Environment.TickCount64;
            PollsBySilo.AddOrUpdate(agent.GetSiloAddress(), 1, (_, n) => n + 1);
            PollsByQueue.AddOrUpdate(queue, 1, (_, n) => n + 1);
            if (Unread.TryRemove(queue, out var enqueued))
            {
                ReadDelays.GetOrAdd(queue, _ => new()).Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(enqueued));
            }
        }

        return context.Invoke();
    }
}
