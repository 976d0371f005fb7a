using System.Collections.Concurrent;

namespace OrleansCqrs.Bank.Tests;

/// <summary>
/// Stream messages in flight on one silo: while a silo is held, its pulling agents' deliveries to consumers wait
/// (the messages have left their queue and sit in the agent). <see cref="LoseHeld"/> ends those waits without
/// delivering, which is what becomes of an agent's messages when its silo stops. Also counts, per silo, the
/// deliveries its agents made, to find a silo that pulls some queues (queues go to silos by a hash ring).
/// </summary>
public static class DeliveryHold
{
    private static readonly ConcurrentDictionary<SiloAddress, TaskCompletionSource> Gates = new();
    private static readonly ConcurrentDictionary<SiloAddress, int> Deliveries = new();
    private static readonly ConcurrentDictionary<SiloAddress, int> HeldDeliveries = new();

    public static void Hold(SiloAddress silo) => Gates[silo] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void LoseHeld(SiloAddress silo)
    {
        if (Gates.TryRemove(silo, out var gate))
        {
            gate.SetResult();
        }
    }

    public static int DeliveriesFrom(SiloAddress silo) => Deliveries.GetValueOrDefault(silo);

    public static int HeldOn(SiloAddress silo) => HeldDeliveries.GetValueOrDefault(silo);

    public sealed class Filter(ILocalSiloDetails silo) : IOutgoingGrainCallFilter
    {
        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            // Orleans' internal stream consumer extension: the agent handing a message to a subscriber.
            if (context.InterfaceMethod?.DeclaringType?.Name != "IStreamConsumerExtension")
            {
                await context.Invoke();
                return;
            }

            Deliveries.AddOrUpdate(silo.SiloAddress, 1, (_, n) => n + 1);
            if (Gates.TryGetValue(silo.SiloAddress, out var gate))
            {
                HeldDeliveries.AddOrUpdate(silo.SiloAddress, 1, (_, n) => n + 1);
                await gate.Task;
                return; // Never delivered.
            }

            await context.Invoke();
        }
    }
}
