using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Metadata;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// Finishes processes from the log, not from failures. It follows the global log in commit order from its saved
/// checkpoint and keeps the processes whose latest event does not end them (<see cref="IProcessOutcome"/>); one still
/// open <see cref="ProcessOptions.Grace"/> after its latest event is resumed (<see cref="IProcessManager.Resume"/>),
/// again with a growing delay until it ends. The checkpoint saved is the position below which every process read has
/// ended, so a resumer that moves to another silo, or a cluster that restarts, finds every unfinished process again.
/// It costs one read of the log per tail interval and no write per process: no reminder is registered or removed per
/// process (docs/transfers.md says why).
/// </summary>
[Reentrant, WriteSide]
public sealed partial class ProcessResumer(
    [PersistentState("process-resumer", ProcessResumer.Storage)] IPersistentState<ProcessResumerState> state,
    SharedLogReader log,
    EventTypeRegistry eventTypes,
    IOptions<ProcessOptions> options,
    GrainTypeResolver grainTypes,
    TimeProvider time,
    ILogger<ProcessResumer> logger) : Grain, IProcessResumer
{
    /// <summary>
    /// Write-side state, beside the processes' own: never in a read store of its own, whose outage must not stop
    /// transfers from finishing. A resumer that finds no checkpoint reads the log from its start: slower, never wrong.
    /// </summary>
    public const string Storage = "processes";
    private const int RecentKept = 256;

    private readonly ProcessOptions _options = options.Value;
    private readonly Dictionary<string, OpenProcess> _open = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentlyResumed = new();
    private (string Namespace, GrainType Grain)[] _watched = [];
    private readonly Dictionary<string, bool> _endsProcess = new(StringComparer.Ordinal);
    private long _readUpTo;
    private long _resumed;
    private int _inFlight;
    private bool _tailFailing;
    private DateTimeOffset _lastSave;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _watched = [.. _options.Processes.Select(p => (p.Key, grainTypes.GetGrainType(p.Value)))];
        _readUpTo = state.State.Checkpoint;
        _lastSave = time.GetUtcNow();
        LogResuming(_readUpTo);
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.TailEvery) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        await SaveCheckpointAsync(force: true);

    public Task KeepActive() => Task.CompletedTask;

    public Task<ProcessResumerStatus> GetStatus() =>
        Task.FromResult(new ProcessResumerStatus(state.State.Checkpoint, _readUpTo, _open.Count, _resumed, [.. _recentlyResumed]));

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        await ReadLogAsync();
        StartDueResumes(time.GetUtcNow());
        await SaveCheckpointAsync(force: false);
    }

    private async Task ReadLogAsync()
    {
        try
        {
            _readUpTo = await log.FollowAsync(
                _readUpTo, _options.ReadPageSize, recorded => Follow(recorded, time.GetUtcNow()), () => _open.Count < _options.MaxOpen);
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

    private void Follow(RecordedEvent recorded, DateTimeOffset now)
    {
        foreach (var (ns, grain) in _watched)
        {
            if (StreamNames.KeyOf(ns, recorded.StreamId) is not { } key)
            {
                continue;
            }

            if (EndsProcess(recorded.Type))
            {
                _open.Remove(recorded.StreamId);
            }
            else if (_open.TryGetValue(recorded.StreamId, out var open))
            {
                // Still running: its grace starts again from its latest step.
                open.DueAt = now + _options.Grace;
            }
            else
            {
                _open[recorded.StreamId] = new OpenProcess(GrainId.Create(grain, key), recorded.Position) { DueAt = now + _options.Grace };
            }

            return;
        }
    }

    /// <summary>Whether events stored under <paramref name="typeName"/> (today's name or an older one) end their process.</summary>
    private bool EndsProcess(string typeName)
    {
        if (!_endsProcess.TryGetValue(typeName, out var ends))
        {
            try
            {
                ends = typeof(IProcessOutcome).IsAssignableFrom(eventTypes.TypeOf(typeName));
            }
            catch (UnknownEventTypeException)
            {
                // Its process cannot load either; it stays open and its resumption reports why.
                ends = false;
            }

            _endsProcess[typeName] = ends;
        }

        return ends;
    }

    private void StartDueResumes(DateTimeOffset now)
    {
        if (_open.Count == 0 || _inFlight >= _options.Parallelism)
        {
            return;
        }

        var due = _open.Where(p => !p.Value.Resuming && p.Value.DueAt <= now).Take(_options.Parallelism - _inFlight).ToList();
        foreach (var (streamId, open) in due)
        {
            // Not awaited: the resumer goes on reading the log while processes run their steps.
            _ = ResumeAsync(streamId, open);
        }
    }

    private async Task ResumeAsync(string streamId, OpenProcess open)
    {
        open.Resuming = true;
        _inFlight++;
        try
        {
            var ended = await GrainFactory.GetGrain<IProcessManager>(open.Process).Resume();
            Record(streamId);
            if (ended)
            {
                _open.Remove(streamId);
            }
            else
            {
                RetryLater(open);
            }
        }
        catch (Exception ex)
        {
            LogResumeFailed(ex, open.Process);
            RetryLater(open);
        }
        finally
        {
            open.Resuming = false;
            _inFlight--;
        }
    }

    private void RetryLater(OpenProcess open)
    {
        open.Attempts++;
        var delay = _options.Grace * Math.Pow(2, Math.Min(open.Attempts - 1, 16));
        open.DueAt = time.GetUtcNow() + (delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay);
    }

    private void Record(string streamId)
    {
        _resumed++;
        _recentlyResumed.Enqueue(streamId);
        if (_recentlyResumed.Count > RecentKept)
        {
            _recentlyResumed.Dequeue();
        }
    }

    private async Task SaveCheckpointAsync(bool force)
    {
        var checkpoint = _open.Count == 0 ? _readUpTo : _open.Values.Min(p => p.FirstPosition) - 1;
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
            // The next save carries it; a restart meanwhile re-reads a little more of the log.
            LogSaveFailed(ex, checkpoint);
        }
    }

    /// <summary>A process not ended: where its events start in the log, and when to resume it.</summary>
    private sealed class OpenProcess(GrainId process, long firstPosition)
    {
        public GrainId Process { get; } = process;

        public long FirstPosition { get; } = firstPosition;

        public DateTimeOffset DueAt { get; set; }

        public int Attempts { get; set; }

        public bool Resuming { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Process resumer resuming from log position {Checkpoint}")]
    private partial void LogResuming(long checkpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the log after position {Position} failed; the process resumer retries at its next tick")]
    private partial void LogTailFailed(Exception exception, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming {Process} failed; retrying later")]
    private partial void LogResumeFailed(Exception exception, GrainId process);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the process resumer checkpoint {Checkpoint} failed")]
    private partial void LogSaveFailed(Exception exception, long checkpoint);
}
