namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>A log position committed at least one healing window ago: where a heal starts reading.</summary>
[GenerateSerializer]
public sealed class HealerState
{
    [Id(0)] public long SafePosition { get; set; }
}
