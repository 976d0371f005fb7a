namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>The healer's durable checkpoint: every event at or below it is known to be applied by its projections.</summary>
[GenerateSerializer]
public sealed class HealerState
{
    [Id(0)] public long Checkpoint { get; set; }
}
