using System.Collections.Concurrent;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// Records every grain class that ever took a call on each silo: stateless workers and grains that deactivated
/// since (an ended transfer) included, which the management grain's activation list would miss.
/// </summary>
public sealed class ActivationSites : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(SiloAddress Silo, Type Grain), byte> Seen = new();

    /// <summary>The grain classes that took calls on <paramref name="silos"/>, with where.</summary>
    public static IReadOnlyList<(Type Grain, SiloAddress Silo)> On(IEnumerable<SiloAddress> silos)
    {
        var wanted = silos.ToHashSet();
        return [.. Seen.Keys.Where(k => wanted.Contains(k.Silo)).Select(k => (k.Grain, k.Silo))];
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TargetContext.GrainInstance is { } grain && context.TargetContext.Address.SiloAddress is { } silo)
        {
            // Only the first call of a class on a silo writes; the rest only read.
            Seen.TryAdd((silo, grain.GetType()), 0);
        }

        return context.Invoke();
    }
}
