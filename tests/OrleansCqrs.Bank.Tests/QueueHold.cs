using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Orleans.Providers;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Keeps stream messages queued: while a cluster is held, its memory-stream queue grains answer the pulling agents'
/// dequeues with nothing, so what is published stays in the queue of the silo hosting it (and is lost if that silo
/// stops). Also counts, per silo, the messages its queue grains took while held.
/// </summary>
public static class QueueHold
{
    public const string ClusterKey = "Tests:Cluster";

    private static readonly ConcurrentDictionary<string, bool> Held = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<SiloAddress, int> QueuedWhileHeld = new();

    public static void Hold(string cluster) => Held[cluster] = true;

    public static void Release(string cluster) => Held[cluster] = false;

    public static int QueuedOn(SiloAddress silo) => QueuedWhileHeld.GetValueOrDefault(silo);

    public sealed class Filter(IConfiguration configuration, ILocalSiloDetails silo) : IIncomingGrainCallFilter
    {
        private readonly string? _cluster = configuration[ClusterKey];

        public Task Invoke(IIncomingGrainCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (_cluster is null || !Held.GetValueOrDefault(_cluster) || context.InterfaceMethod?.DeclaringType != typeof(IMemoryStreamQueueGrain))
            {
                return context.Invoke();
            }

            if (context.InterfaceMethod.Name == nameof(IMemoryStreamQueueGrain.Dequeue))
            {
                context.Result = new List<MemoryMessageData>();
                return Task.CompletedTask;
            }

            QueuedWhileHeld.AddOrUpdate(silo.SiloAddress, 1, (_, n) => n + 1);
            return context.Invoke();
        }
    }
}
