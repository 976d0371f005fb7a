using System.Collections.Concurrent;
using Orleans.Providers;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Publishes that go wrong, per stream key: the next N messages an aggregate publishes on a stream are dropped
/// silently (lost on the way) or fail (the queue refused them). Applied on the silos' calls to the memory-stream queue
/// grains, so the aggregate's own code path is the real one. Keys are fresh per test, so tests do not interfere.
/// </summary>
public static class PublishFaults
{
    private static readonly ConcurrentDictionary<string, (bool Throw, int Left)> Faults = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, int> Hit = new(StringComparer.Ordinal);

    public static void DropNext(string streamKey, int count = 1) => Faults[streamKey] = (false, count);

    public static void FailNext(string streamKey, int count = 1) => Faults[streamKey] = (true, count);

    /// <summary>How many publishes on the stream were dropped or failed so far.</summary>
    public static int HitCount(string streamKey) => Hit.GetValueOrDefault(streamKey);

    private static bool? Take(string streamKey)
    {
        while (Faults.TryGetValue(streamKey, out var fault) && fault.Left > 0)
        {
            if (Faults.TryUpdate(streamKey, (fault.Throw, fault.Left - 1), fault))
            {
                Hit.AddOrUpdate(streamKey, 1, (_, n) => n + 1);
                return fault.Throw;
            }
        }

        return null;
    }

    /// <summary>The silo-side interceptor of <see cref="IMemoryStreamQueueGrain.Enqueue(MemoryMessageData)"/> calls.</summary>
    public sealed class Filter : IOutgoingGrainCallFilter
    {
        public Task Invoke(IOutgoingGrainCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (context.InterfaceMethod?.DeclaringType == typeof(IMemoryStreamQueueGrain)
                && context.InterfaceMethod.Name == nameof(IMemoryStreamQueueGrain.Enqueue)
                && context.Request.GetArgument(0) is MemoryMessageData message
                && Take(message.StreamId.GetKeyAsString()) is { } fail)
            {
                return fail ? throw new TimeoutException("Injected: the stream queue did not take the message.") : Task.CompletedTask;
            }

            return context.Invoke();
        }
    }
}
