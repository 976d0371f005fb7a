namespace OrleansCqrs.Framework.Aggregates;

/// <summary>An aggregate's state as of a stream version, kept in Orleans grain storage to shorten replay.</summary>
[GenerateSerializer]
public sealed class Snapshot<TState>
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public TState? State { get; set; }
}
