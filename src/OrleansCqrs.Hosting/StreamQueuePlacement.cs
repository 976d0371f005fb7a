using System.Diagnostics.CodeAnalysis;
using Orleans.Metadata;
using Orleans.Runtime.Placement;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Memory-stream queue grains are polled every few milliseconds by their pulling agent. Placed at random, most of
/// those polls cross silos even when there is nothing to carry; placed where their first caller is, which is the
/// agent once it starts pulling, they are polled within the silo.
/// </summary>
internal sealed class StreamQueuePlacement : IPlacementStrategyResolver
{
    private static readonly GrainType QueueGrain = GrainType.Create("memorystreamqueue");
    private static readonly PreferLocalPlacement Local = new();

    public bool TryResolvePlacementStrategy(GrainType grainType, GrainProperties? properties, [MaybeNullWhen(false)] out PlacementStrategy result)
    {
        result = grainType.Equals(QueueGrain) ? Local : null;
        return result is not null;
    }
}
