using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Metadata;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Framework.Projections.Healing;

/// <summary>
/// Heals from the log, not from failures: any event committed and never applied by a projection (a publish that
/// failed or was skipped, a stream message lost with a silo or dropped by the pulling agent) is an event of the log
/// that the projection does not confirm. The healer follows the global log in commit order from its saved
/// checkpoint; silos report the versions their projections applied (<see cref="AppliedProgress"/>); a projection
/// that has not confirmed an event within <see cref="HealingOptions.Grace"/> is asked to catch up from the store,
/// retried with a growing delay until it confirms. The checkpoint saved is the position below which everything is
/// confirmed, so a healer that moves to another silo resumes there and nothing committed is ever forgotten.
/// In steady state it costs one read of the log per tail interval and one small call per silo per push interval;
/// it calls no projection whose stream delivered.
/// </summary>
[Reentrant, ReadSide]
public sealed partial class ProjectionHealer(
    [PersistentState("healer", ProjectionHealer.Storage)] IPersistentState<HealerState> state,
    SharedLogReader log,
    IOptions<HealingOptions> options,
    GrainTypeResolver grainTypes,
    TimeProvider time,
    ILogger<ProjectionHealer> logger) : Grain, IProjectionHealer
{
    public const string Storage = "projections";
    private const int RecentHealsKept = 256;

    private readonly HealingOptions _options = options.Value;
    private readonly Dictionary<GrainId, ProjectionWatch> _watches = [];
    private readonly HashSet<GrainId> _pending = [];
    private readonly Queue<ProjectionHeal> _recentHeals = new();
    private (string Namespace, GrainType[] Projections)[] _watched = [];
    private HashSet<GrainType> _watchedTypes = [];
    private long _readUpTo;
    private long _heals;
    private int _catchUpsInFlight;
    private bool _tailFailing;
    private DateTimeOffset _lastSave;
    private DateTimeOffset _lastSweep;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The grain type of each projection class, as its grain ids (and the applied versions reported) carry it.
        _watched = [.. _options.Projections.Select(p => (p.Key, p.Value.Select(grainTypes.GetGrainType).ToArray()))];
        _watchedTypes = [.. _watched.SelectMany(w => w.Projections)];
        _readUpTo = state.State.Checkpoint;
        _lastSave = _lastSweep = time.GetUtcNow();
        LogResuming(_readUpTo);
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.TailEvery) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        await SaveCheckpointAsync(force: true);

    public Task Applied(IReadOnlyList<AppliedVersion> applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var now = time.GetUtcNow();
        foreach (var (projection, version) in applied)
        {
            if (!_watchedTypes.Contains(projection.Type))
            {
                continue;
            }

            // Kept even before the log read reaches this event: the push often overtakes it.
            var watch = Watch(projection, now);
            if (version > watch.Applied)
            {
                watch.Applied = version;
                ConfirmIfApplied(projection, watch);
            }
        }

        return Task.CompletedTask;
    }

    public Task<HealerStatus> GetStatus() =>
        Task.FromResult(new HealerStatus(state.State.Checkpoint, _readUpTo, _pending.Count, _heals, [.. _recentHeals], Lags(time.GetUtcNow())));

    private List<StreamProjectionLag> Lags(DateTimeOffset now)
    {
        var waiting = _pending.GroupBy(id => id.Type).ToDictionary(g => g.Key, g => g.Select(id => _watches[id]).ToList());
        return [.. _watchedTypes.Select(type => waiting.TryGetValue(type, out var watches)
            ? new StreamProjectionLag(type.ToString()!, watches.Count, watches.Sum(w => Math.Max(0, w.Expected - w.Applied)), now - watches.Min(w => w.PendingSince))
            : new StreamProjectionLag(type.ToString()!, 0, 0, TimeSpan.Zero))];
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        await ReadLogAsync();
        var now = time.GetUtcNow();
        StartDueCatchUps(now);
        if (now - _lastSweep >= _options.RememberApplied)
        {
            ForgetConfirmed(now);
        }

        await SaveCheckpointAsync(force: false);
    }

    private async Task ReadLogAsync()
    {
        try
        {
            _readUpTo = await log.FollowAsync(
                _readUpTo, _options.ReadPageSize, recorded => Expect(recorded, time.GetUtcNow()), () => _pending.Count < _options.MaxPending);
            _tailFailing = false;
        }
        catch (Exception ex)
        {
            if (!_tailFailing)
            {
                LogTailFailed(ex, _readUpTo);
                _tailFailing = true;
            }
        }
    }

    private void Expect(RecordedEvent recorded, DateTimeOffset now)
    {
        foreach (var (ns, projections) in _watched)
        {
            if (!StreamNames.TryKeyOf(ns, recorded.StreamId, out var aggregateKey))
            {
                continue;
            }

            var key = IdOf(aggregateKey);
            foreach (var type in projections)
            {
                var id = GrainId.Create(type, key);
                var watch = Watch(id, now);
                watch.Expected = Math.Max(watch.Expected, recorded.Version);
                if (watch.Applied < recorded.Version && !watch.IsPending)
                {
                    watch.FirstUnconfirmedPosition = recorded.Position;
                    watch.PendingSince = now;
                    watch.DueAt = now + _options.Grace;
                    _pending.Add(id);
                }
            }
        }
    }

    /// <summary>
    /// The key of the aggregate's projections, made once for all their types (as <see cref="IdSpan.Create(string)"/>
    /// makes it, which needs a string of the key and encodes it again for each type).
    /// </summary>
    private static IdSpan IdOf(ReadOnlySpan<char> aggregateKey)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(aggregateKey)];
        Encoding.UTF8.GetBytes(aggregateKey, utf8);
        return new IdSpan(utf8);
    }

    private ProjectionWatch Watch(GrainId id, DateTimeOffset now)
    {
        if (!_watches.TryGetValue(id, out var watch))
        {
            _watches[id] = watch = new ProjectionWatch();
        }

        watch.LastSeen = now;
        return watch;
    }

    private void ConfirmIfApplied(GrainId id, ProjectionWatch watch)
    {
        if (watch.IsPending && watch.Applied >= watch.Expected)
        {
            watch.FirstUnconfirmedPosition = 0;
            watch.Attempts = 0;
            _pending.Remove(id);
        }
    }

    private void StartDueCatchUps(DateTimeOffset now)
    {
        if (_pending.Count == 0 || _catchUpsInFlight >= _options.Parallelism)
        {
            return;
        }

        var due = _pending.Where(id => !_watches[id].CatchingUp && _watches[id].DueAt <= now)
            .Take(_options.Parallelism - _catchUpsInFlight)
            .ToList();
        foreach (var id in due)
        {
            // Not awaited: the healer goes on reading the log and taking reports while projections catch up.
            _ = CatchUpAsync(id, _watches[id]);
        }
    }

    private async Task CatchUpAsync(GrainId id, ProjectionWatch watch)
    {
        watch.CatchingUp = true;
        _catchUpsInFlight++;
        var expected = watch.Expected;
        try
        {
            CqrsMetrics.HealerCatchUps.Add(1, new KeyValuePair<string, object?>("read_model", id.Type.ToString()));
            var status = await GrainFactory.GetGrain<IStreamProjection>(id).CatchUp(expected);
            Record(new ProjectionHeal(id, expected, status.Version, time.GetUtcNow()));
            watch.Applied = Math.Max(watch.Applied, status.Version);
            if (status.IsStuck)
            {
                // Its fold refuses the next event: no catch-up can help. It reports itself stuck and stale; healing
                // would only keep the checkpoint from moving.
                LogStuck(id, status.Version, status.StuckError!);
                watch.Applied = Math.Max(watch.Applied, watch.Expected);
            }

            ConfirmIfApplied(id, watch);
            if (watch.IsPending)
            {
                // Either newer events arrived meanwhile (give their delivery the usual grace) or it could not read them.
                RetryLater(watch, backOff: status.Version < expected);
            }
        }
        catch (Exception ex)
        {
            LogCatchUpFailed(ex, id, expected);
            RetryLater(watch, backOff: true);
        }
        finally
        {
            watch.CatchingUp = false;
            _catchUpsInFlight--;
        }
    }

    private void RetryLater(ProjectionWatch watch, bool backOff)
    {
        watch.Attempts = backOff ? watch.Attempts + 1 : 0;
        var delay = _options.Grace * Math.Pow(2, Math.Min(watch.Attempts, 16));
        watch.DueAt = time.GetUtcNow() + (delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay);
    }

    private void Record(ProjectionHeal heal)
    {
        _heals++;
        _recentHeals.Enqueue(heal);
        if (_recentHeals.Count > RecentHealsKept)
        {
            _recentHeals.Dequeue();
        }
    }

    /// <summary>Drops what is known of confirmed projections not seen for a while: memory holds the recent window only.</summary>
    private void ForgetConfirmed(DateTimeOffset now)
    {
        _lastSweep = now;
        var forgotten = _watches.Where(w => !w.Value.IsPending && !w.Value.CatchingUp && now - w.Value.LastSeen >= _options.RememberApplied).Select(w => w.Key).ToList();
        foreach (var id in forgotten)
        {
            _watches.Remove(id);
        }
    }

    private async Task SaveCheckpointAsync(bool force)
    {
        var checkpoint = _pending.Count == 0 ? _readUpTo : _pending.Min(id => _watches[id].FirstUnconfirmedPosition) - 1;
        var now = time.GetUtcNow();
        if (checkpoint <= state.State.Checkpoint || (!force && now - _lastSave < _options.CheckpointEvery))
        {
            return;
        }

        state.State.Checkpoint = checkpoint;
        _lastSave = now;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // The next save carries it; a restart meanwhile re-checks a little more of the log.
            LogSaveFailed(ex, checkpoint);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection healer resuming from log position {Checkpoint}")]
    private partial void LogResuming(long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the log after position {Position} failed; the healer retries at its next tick")]
    private partial void LogTailFailed(Exception exception, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking {Projection} to catch up to version {Version} failed; retrying later")]
    private partial void LogCatchUpFailed(Exception exception, GrainId projection, long version);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Projection} is stuck at version {Version} ({Error}); the healer leaves it to its next activation")]
    private partial void LogStuck(GrainId projection, long version, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the healer checkpoint {Checkpoint} failed")]
    private partial void LogSaveFailed(Exception exception, long checkpoint);
}
