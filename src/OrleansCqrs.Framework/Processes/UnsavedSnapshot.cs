using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// The snapshot of a process manager: never read or written. A process lives a handful of events, far fewer than an
/// aggregate's snapshot interval, so a stored snapshot would never shorten its replay; reading one would still cost a
/// database round trip on every activation, and every process is a fresh activation (for a transfer, one round trip
/// of six; docs/benchmarks.md, Transfers). Its state comes from its stream alone.
/// </summary>
public sealed class UnsavedSnapshot<TState> : IPersistentState<Snapshot<TState>>
{
    public Snapshot<TState> State { get; set; } = new();

    public string? Etag => null;

    public bool RecordExists => false;

    public Task ClearStateAsync() => Task.CompletedTask;

    public Task WriteStateAsync() => Task.CompletedTask;

    public Task ReadStateAsync() => Task.CompletedTask;
}
