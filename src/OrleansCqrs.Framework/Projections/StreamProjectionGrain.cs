using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Orleans.Streams;
using Orleans.Streams.Core;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A read model of one source stream, fed by an implicit subscription to it. Events arrive on the stream as a fast
/// path; the event store is the truth: a duplicate (version already applied) is dropped, a gap is filled from the store
/// before the event is applied, and activation catches up from the persisted checkpoint. So the state never misses,
/// double-applies or reorders an event, whatever the stream loses or repeats. State and checkpoint are persisted
/// together, write-behind. An event whose fold throws stops the projection there, recorded as stuck: never skipped.
/// It also keeps the highest version it has been told exists (by a stream event or the healer): while it knows it is
/// behind, every read says so (stale), and a failed read of the store is retried on a timer, never thrown back to the
/// stream's pulling agent (which would drop the event after a while). Each applied version is reported to the silo's
/// <see cref="Healing.AppliedProgress"/>, which is how the healer knows delivery worked without asking.
/// </summary>
/// <remarks>The concrete grain carries <c>[ImplicitStreamSubscription]</c> for <see cref="StreamNamespace"/>.</remarks>
[ReadSide]
public abstract partial class StreamProjectionGrain<TState> : Grain, IStreamProjection, IStreamSubscriptionObserver, IAsyncObserver<EventEnvelope>
    where TState : class
{
    private readonly IPersistentState<ProjectionState<TState>> _persisted;
    private readonly ProjectionServices _services;
    private readonly ILogger _logger;
    private TState _state;
    private long _version;
    private long _position;
    private long _known;
    private bool _lastCatchUpFailed;
    private IGrainTimer? _retry;
    private TimeSpan _retryDelay;
    private string? _stuckError;
    private string? _spanName;
    private readonly WriteBehind _writeBehind;
    private readonly ChangeSignal _advanced = new();
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    protected StreamProjectionGrain(IPersistentState<ProjectionState<TState>> persisted, ProjectionServices services)
    {
        _persisted = persisted;
        _services = services;
        _logger = services.Logger;
        _state = Initial;
        _writeBehind = new WriteBehind(PersistAsync, services.Options);
    }

    /// <summary>The source aggregate type, e.g. <c>bank.account</c>; the grain key is the aggregate id.</summary>
    protected abstract string StreamNamespace { get; }

    protected abstract TState Initial { get; }

    /// <summary>The pure fold of one event into the read state.</summary>
    protected abstract TState Apply(TState state, EventEnvelope envelope);

    private string StoreStreamId => StreamNames.StoreStreamId(StreamNamespace, this.GetPrimaryKeyString());

    /// <summary>The read model's name in metrics and spans: the grain class's name unless overridden.</summary>
    protected virtual string ReadModelName => GetType().Name;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_persisted.RecordExists && _persisted.State.State is { } state)
        {
            _state = state;
            _version = _persisted.State.Version;
        }

        _known = _version;
        // A stuck projection gets another try at each activation (after a fix is deployed, say). A store that cannot be
        // read does not fail the activation: the projection answers what it has, stale, and retries.
        await TryCatchUpAsync();
        this.RegisterGrainTimer(_ =>
        {
            _writeBehind.SaveIfDue();
            return Task.CompletedTask;
        }, _services.Options.PersistAfter, _services.Options.PersistAfter);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _writeBehind.FlushAsync();
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        // Without an observer attached, an implicit subscription drops events with only a warning.
        return handleFactory.Create<EventEnvelope>().ResumeAsync(this);
    }

    public async Task OnNextAsync(EventEnvelope item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        Learn(item.Version);
        if (item.Version <= _version)
        {
            return; // Already applied: a redelivery or a duplicate.
        }

        if (item.Version > _version + 1 || _stuckError is not null)
        {
            // Something before this event was lost or reordered on the way: the store has it. If the store cannot be
            // read now, the event is not thrown back (the agent would drop it after a while): the known version
            // keeps reads honest and the retry timer fills the gap.
            LogGap(StoreStreamId, _version, item.Version);
            if (!await TryCatchUpAsync())
            {
                return;
            }
        }

        // The catch-up may have gone past this event already; only the very next version is applied.
        if (item.Version == _version + 1 && _stuckError is null)
        {
            using var span = CqrsTelemetry.StartProjection(ReadModelName, _spanName ??= CqrsTelemetry.ProjectionSpanName(ReadModelName), item);
            ApplyInOrder(item);
            if (_stuckError is not null)
            {
                span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, _stuckError);
            }
        }

        PersistIfFull();
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, StoreStreamId);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads the view once it reflects at least <paramref name="minVersion"/>, waiting up to <paramref name="wait"/>
    /// without holding up the events that would get it there (call it from an interleaving grain method).
    /// </summary>
    protected async Task<ProjectionRead<TView>> ReadAsync<TView>(long minVersion, TimeSpan wait, Func<TState, long, TView?> view)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var timeout = new CancellationTokenSource(wait);
        if (_version < minVersion)
        {
            // The stream may have lost the event; the store has it if it was committed. A slow store holds the reader
            // no longer than its wait: the catch-up goes on, the reader gets what there is, marked stale.
            try
            {
                await TryCatchUpAsync().WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // Answered below, stale.
            }
        }

        while (_version < minVersion && _stuckError is null && !timeout.IsCancellationRequested)
        {
            try
            {
                await _advanced.Next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // The wait ran out: answer with what there is, marked stale.
            }
        }

        return new ProjectionRead<TView>(view(_state, _version), _version, _version < minVersion || KnowsItIsBehind);
    }

    /// <summary>
    /// Reads the view once it reflects every event of its stream up to global position <paramref name="minPosition"/>.
    /// Position order is commit order, so after one read of the store everything committed up to there is applied:
    /// no wait is needed, and the answer is stale only if the projection is stuck or the store could not be read (the
    /// event log's database down: the reader gets what there is rather than an error).
    /// </summary>
    protected async Task<ProjectionRead<TView>> ReadAtPositionAsync<TView>(long minPosition, Func<TState, long, TView?> view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_position < minPosition)
        {
            await TryCatchUpAsync();
        }

        return new ProjectionRead<TView>(view(_state, _version), _version, KnowsItIsBehind);
    }

    /// <summary>
    /// Reads the view after applying everything committed to the stream so far (one read of the store); stale when the
    /// store could not be read.
    /// </summary>
    protected async Task<ProjectionRead<TView>> ReadLatestAsync<TView>(Func<TState, long, TView?> view)
    {
        ArgumentNullException.ThrowIfNull(view);
        await TryCatchUpAsync();
        return new ProjectionRead<TView>(view(_state, _version), _version, KnowsItIsBehind);
    }

    public async Task<ProjectionStatus> CatchUp(long knownVersion)
    {
        Learn(knownVersion);
        if (knownVersion <= 0 || _version < _known || _stuckError is not null)
        {
            await TryCatchUpAsync();
        }

        return Status();
    }

    public Task<ProjectionStatus> GetStatus() => Task.FromResult(Status());

    public async Task<ProjectionStatus> Rebuild()
    {
        var state = Initial;
        long version = 0;
        long position = 0;
        IReadOnlyList<RecordedEvent> page;
        do
        {
            page = await _services.Store.ReadStreamAsync(StoreStreamId, version + 1, _services.Options.ReadPageSize);
            foreach (var envelope in page.Select(_services.Serializer.Deserialize))
            {
                state = Apply(state, envelope);
                (version, position) = (envelope.Version, envelope.Position);
            }
        }
        // Until it is at least as far as the live state (which went on applying events meanwhile).
        while (page.Count == _services.Options.ReadPageSize || version < _version);

        // The swap: no await between the check above and here, so readers see the old state or the new, never less.
        (_state, _version, _position, _stuckError) = (state, version, position, null);
        Learn(version);
        // Readers waiting for a version the rebuild brought: its stream delivery will be a duplicate and wake no one.
        _advanced.Raise();
        _services.Progress.Report(this.GetGrainId(), _version);
        _writeBehind.Changed();
        await _writeBehind.FlushAsync();
        return Status();
    }

    protected ProjectionStatus Status() => new(_version, _stuckError, _known);

    /// <summary>Stuck, or told of a version it has not applied, or unable to read the store last time it tried.</summary>
    private bool KnowsItIsBehind => _stuckError is not null || _known > _version || _lastCatchUpFailed;

    private void Learn(long version) => _known = Math.Max(_known, version);

    /// <summary>Catches up from the store; on failure, schedules retries on a timer until it succeeds. Never throws.</summary>
    private async Task<bool> TryCatchUpAsync()
    {
        try
        {
            await CatchUpAsync();
        }
        catch (Exception ex)
        {
            _lastCatchUpFailed = true;
            LogCatchUpFailed(ex, StoreStreamId, _version, _known);
            RetryLater();
            return false;
        }

        _lastCatchUpFailed = false;
        if (_known > _version && _stuckError is null)
        {
            // Told of a newer event while this read was under way: the next read will see it.
            RetryLater();
        }
        else
        {
            StopRetrying();
        }

        return true;
    }

    private void RetryLater()
    {
        _retryDelay = _retryDelay == TimeSpan.Zero ? FirstRetry : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, MaxRetry.Ticks));
        if (_retry is null)
        {
            // KeepAlive: a projection that knows it is behind stays until it has caught up.
            _retry = this.RegisterGrainTimer(
                async _ => await TryCatchUpAsync(),
                new GrainTimerCreationOptions(_retryDelay, _retryDelay) { Interleave = true, KeepAlive = true });
        }
        else
        {
            _retry.Change(_retryDelay, _retryDelay);
        }
    }

    private void StopRetrying()
    {
        _retry?.Dispose();
        _retry = null;
        _retryDelay = TimeSpan.Zero;
    }

    private async Task CatchUpAsync()
    {
        _stuckError = null;
        while (_stuckError is null)
        {
            var from = _version + 1;
            var page = await _services.Store.ReadStreamAsync(StoreStreamId, from, _services.Options.ReadPageSize);
            foreach (var recorded in page)
            {
                // Another turn may have applied some of these while this one read.
                if (recorded.Version == _version + 1 && _stuckError is null)
                {
                    ApplyInOrder(_services.Serializer.Deserialize(recorded));
                }
            }

            if (page.Count < _services.Options.ReadPageSize)
            {
                break;
            }
        }

        PersistIfFull();
    }

    private void ApplyInOrder(EventEnvelope envelope)
    {
        if (envelope.Version != _version + 1)
        {
            throw new InvalidOperationException($"Projection of {StoreStreamId} at version {_version} was handed version {envelope.Version}.");
        }

        try
        {
            _state = Apply(_state, envelope);
        }
        catch (Exception ex)
        {
            _stuckError = $"Version {envelope.Version} ({envelope.Event.GetType().Name}): {ex.GetType().Name}: {ex.Message}";
            LogStuck(ex, StoreStreamId, envelope.Version);
            _writeBehind.Changed();
            return;
        }

        _version = envelope.Version;
        _position = envelope.Position;
        Learn(_version);
        CqrsMetrics.RecordApplied(ReadModelName, envelope.Metadata.Timestamp, _known - _version);
        _services.Progress.Report(this.GetGrainId(), _version);
        _writeBehind.Changed();
        _advanced.Raise();
    }

    private void PersistIfFull() => _writeBehind.SaveIfFull();

    private async Task<bool> PersistAsync()
    {
        _persisted.State = new ProjectionState<TState> { Version = _version, State = _state, StuckError = _stuckError };
        try
        {
            await _persisted.WriteStateAsync();
            return true;
        }
        catch (InconsistentStateException ex)
        {
            // The stored state is not the one this activation last read or wrote: another activation saved, or a save
            // that reported failure (the read store going down mid-commit) landed after all. Every later save would be
            // refused too; a new activation reads what is stored and catches up from the log.
            LogPersistFailed(ex, StoreStreamId, _version);
            DeactivateOnIdle();
            return false;
        }
        catch (Exception ex)
        {
            // Nothing is lost: after a crash the projection catches up from the last checkpoint that was saved.
            LogPersistFailed(ex, StoreStreamId, _version);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Projection of {StreamId} at {Version} received version {Received}: filling from the store")]
    private partial void LogGap(string streamId, long version, long received);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projection of {StreamId} at version {Version} (known {Known}) could not read the store; retrying on a timer")]
    private partial void LogCatchUpFailed(Exception exception, string streamId, long version, long known);

    [LoggerMessage(Level = LogLevel.Error, Message = "Projection of {StreamId} is stuck: the event at version {Version} fails to apply")]
    private partial void LogStuck(Exception exception, string streamId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persisting the projection of {StreamId} at version {Version} failed")]
    private partial void LogPersistFailed(Exception exception, string streamId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event stream of {StreamId} reported an error")]
    private partial void LogStreamError(Exception exception, string streamId);
}
