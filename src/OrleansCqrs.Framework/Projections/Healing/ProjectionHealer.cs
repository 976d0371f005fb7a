using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// Events are lost on the way to projections only when a silo fails (between commit and publish, or queued in a
/// memory stream on the silo that died), so healing is triggered by failures, not run all the time: in steady state
/// it costs one head read per sample. A heal reads the global log from the safe position (the head of one window
/// ago) and asks each projection of each stream it finds to catch up from the store; projections that are complete
/// answer at once.
/// </summary>
public sealed partial class ProjectionHealer(
    [PersistentState("healer", ProjectionHealer.Storage)] IPersistentState<HealerState> state,
    IEventStore store,
    IOptions<HealingOptions> options,
    TimeProvider time,
    ILogger<ProjectionHealer> logger) : Grain, IProjectionHealer
{
    public const string Storage = "projections";

    private readonly Queue<(DateTimeOffset At, long Head)> _samples = new();
    private readonly HealingOptions _options = options.Value;

    public async Task Sample()
    {
        var now = time.GetUtcNow();
        _samples.Enqueue((now, await store.GetHeadPositionAsync()));
        var safe = state.State.SafePosition;
        while (_samples.Count > 0 && now - _samples.Peek().At >= _options.Window)
        {
            safe = Math.Max(safe, _samples.Dequeue().Head);
        }

        if (safe != state.State.SafePosition)
        {
            state.State.SafePosition = safe;
            await state.WriteStateAsync();
        }
    }

    public async Task<int> Heal(string reason)
    {
        var streams = new Dictionary<string, (string Namespace, string Key)>(StringComparer.Ordinal);
        for (var after = state.State.SafePosition; ;)
        {
            var page = await store.ReadAllAsync(after, 5000);
            foreach (var recorded in page)
            {
                foreach (var ns in _options.Projections.Keys)
                {
                    if (StreamNames.KeyOf(ns, recorded.StreamId) is { } key)
                    {
                        streams[recorded.StreamId] = (ns, key);
                    }
                }
            }

            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Position;
        }

        var checks = streams.Values.SelectMany(s => _options.Projections[s.Namespace].Select(type => (Type: type, s.Key)));
        var repaired = 0;
        foreach (var chunk in checks.Chunk(_options.Parallelism))
        {
            var outcomes = await Task.WhenAll(chunk.Select(async check =>
            {
                var projection = (IStreamProjection)GrainFactory.GetGrain(check.Type, check.Key);
                var before = await projection.GetStatus();
                return (await projection.CatchUp()).Version > before.Version;
            }));
            repaired += outcomes.Count(r => r);
        }
        LogHealed(reason, streams.Count, repaired, state.State.SafePosition);
        return repaired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Healing after {Reason}: re-checked the projections of {Streams} streams written since position {Since}; {Repaired} had missed events")]
    private partial void LogHealed(string reason, int streams, int repaired, long since);
}
