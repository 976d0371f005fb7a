using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Orleans.Providers;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Keeps stream messages queued: while a cluster is held, its memory-stream queue grains answer the pulling agents'
/// dequeues with nothing, so what is published stays in the queue of the silo hosting it (and is lost if that silo
/// stops). Also counts, per silo, the messages its queue grains took while held. A queue grain is placed with its
/// first caller, which in a test cluster is the first silo's agent for every queue; <see cref="Relocate"/> has each
/// one re-placed with the agent that polls it now, as in a cluster whose silos started together.
/// </summary>
public static class QueueHold
{
    public const string ClusterKey = "Tests:Cluster";

    private static readonly ConcurrentDictionary<string, bool> Held = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<SiloAddress, int> QueuedWhileHeld = new();
    private static readonly ConcurrentDictionary<string, bool> Relocating = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Cluster, GrainId Queue), bool> Relocated = new();

    /// <summary>Each queue grain of the cluster deactivates at its next poll (dropping nothing: the cluster is quiet).</summary>
    public static void Relocate(string cluster)
    {
        foreach (var done in Relocated.Keys.Where(k => k.Cluster == cluster))
        {
            Relocated.TryRemove(done, out _);
        }

        Relocating[cluster] = true;
    }

    /// <summary>How many queue grains of the cluster have been re-placed.</summary>
    public static int RelocatedCount(string cluster) => Relocated.Keys.Count(k => k.Cluster == cluster);

    public static void Hold(string cluster) => Held[cluster] = true;

    public static void Release(string cluster) => Held[cluster] = false;

    public static int QueuedOn(SiloAddress silo) => QueuedWhileHeld.GetValueOrDefault(silo);

    public sealed class Filter(IConfiguration configuration, ILocalSiloDetails silo) : IIncomingGrainCallFilter
    {
        private readonly string? _cluster = configuration[ClusterKey];

        public Task Invoke(IIncomingGrainCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (_cluster is null || context.InterfaceMethod?.DeclaringType != typeof(IMemoryStreamQueueGrain))
            {
                return context.Invoke();
            }

            if (Relocating.GetValueOrDefault(_cluster)
                && context.InterfaceMethod.Name == nameof(IMemoryStreamQueueGrain.Dequeue)
                && Relocated.TryAdd((_cluster, context.TargetId), true))
            {
                context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "Test: re-placed with its agent."), CancellationToken.None);
                context.Result = new List<MemoryMessageData>();
                return Task.CompletedTask;
            }

            if (!Held.GetValueOrDefault(_cluster))
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
