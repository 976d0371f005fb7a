using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// An event-sourced aggregate: one activation per id runs its commands one at a time. A command is decided against the
/// state, its outcome recorded in the store (its events, or its rejection; the store checks the version, so a second
/// activation or writer can never write the same version), applied, then its events published on the aggregate's
/// Orleans stream. The state is rebuilt on activation from the latest snapshot plus the events after it.
/// </summary>
[WriteSide]
public abstract partial class AggregateGrain<TState> : Grain
    where TState : class, IAggregateState<TState>
{
    private readonly IPersistentState<Snapshot<TState>> _snapshot;
    private readonly AggregateServices _services;
    private readonly ILogger _logger;
    private Task _snapshotWrite = Task.CompletedTask;
    private Task _publishing = Task.CompletedTask;
    private int _unpublished;
    private string? _key;
    private string? _storeStreamId;

    protected AggregateGrain(IPersistentState<Snapshot<TState>> snapshot, AggregateServices services)
    {
        _snapshot = snapshot;
        _services = services;
        _logger = services.Logger;
    }

    /// <summary>The aggregate type's name, e.g. <c>bank.account</c>: the Orleans stream namespace and store stream prefix.</summary>
    protected abstract string StreamNamespace { get; }

    protected TState State { get; private set; } = TState.Initial;

    /// <summary>How many events the aggregate has: the version of its last event, 0 for none.</summary>
    protected long Version { get; private set; }

    // An activation's key never changes: made once, not for every command (each was a new string, twice).
    private string Key => _key ??= this.GetPrimaryKeyString();

    private string StoreStreamId => _storeStreamId ??= StreamNames.StoreStreamId(StreamNamespace, Key);

    private AggregateOptions Options => _services.Options.Value;

    /// <summary>
    /// Whether an activation without a snapshot takes its first command before reading its stream. The command is
    /// decided against the initial state and appended expecting version 0, which the store accepts only while the
    /// stream is empty: the guess is checked by the append itself. An aggregate mostly created by its first command
    /// (a process: one per transfer) so saves reading an empty stream per activation. An append that finds the stream
    /// begun (a rejection's record is checked the same way) reads the stream and decides again, and so does a refusal
    /// by the authorizer, which nothing records. Any other first call must read the stream first
    /// (<see cref="ReadIfUnreadAsync"/>).
    /// </summary>
    private protected virtual bool StartsUnread => false;

    /// <summary>Whether the stream may hold events this activation has not read (<see cref="StartsUnread"/>).</summary>
    private protected bool IsUnread { get; private set; }

    /// <summary>Reads the stream if this activation has not yet (<see cref="StartsUnread"/>).</summary>
    private protected Task ReadIfUnreadAsync() => IsUnread ? CatchUpAsync(CancellationToken.None) : Task.CompletedTask;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_snapshot.RecordExists && _snapshot.State.State is { } state)
        {
            State = state;
            Version = _snapshot.State.Version;
            if (!await SnapshotIsInStreamAsync(cancellationToken))
            {
                // A snapshot ahead of its stream (restored from another backup than the events, say) would make every
                // append expect a version the store never reaches. The stream is the truth: replay it all. The stored
                // snapshot goes too, before anything is decided: once the stream grew back to its version, another
                // event there would vouch for it and a later activation would take its state.
                LogSnapshotAhead(StoreStreamId, Version);
                (State, Version) = (TState.Initial, 0);
                await _snapshot.ClearStateAsync(cancellationToken);
                _snapshot.State = new Snapshot<TState>();
            }
        }

        if (Version == 0 && StartsUnread)
        {
            IsUnread = true;
            return;
        }

        await CatchUpAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A snapshot skipped while an earlier one was still being written is taken now, so the next activation
        // replays at most SnapshotEvery events.
        await _snapshotWrite;
        TakeSnapshotIfDue();
        await _snapshotWrite;
        await _publishing;
    }

    /// <summary>
    /// Runs a command: decide, record, apply, publish. The outcome, accepted or rejected, is recorded against the
    /// stream version it was decided on; a retry with the same command id returns that outcome, even when the state
    /// has moved on so far that deciding again would answer otherwise. <paramref name="authorize"/> first asks whether
    /// the command's actor may send it at all; a refusal is answered at once and recorded nowhere, so a stranger can
    /// neither write to another's stream nor take a command id its owner will use.
    /// </summary>
    /// <remarks><paramref name="command"/> names the command in metrics and spans (its type's name, say).</remarks>
    protected async Task<CommandResult> ExecuteAsync(CommandContext context, Func<TState, Decision> decide, Func<TState, Rejection?>? authorize = null, string? command = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(decide);
        try
        {
            var result = await DecideAndRecordAsync(context, decide, authorize, command);
            CqrsMetrics.CountCommand(StreamNamespace, command, result);
            return result;
        }
        catch (Exception ex)
        {
            CqrsMetrics.CountFailedCommand(StreamNamespace, command, ex);
            throw;
        }
    }

    private async Task<CommandResult> DecideAndRecordAsync(CommandContext context, Func<TState, Decision> decide, Func<TState, Rejection?>? authorize, string? command)
    {
        var conflicts = 0;
        while (true)
        {
            if (authorize?.Invoke(State) is { } refusal)
            {
                if (IsUnread)
                {
                    // A refusal is recorded nowhere, so no version check will catch one made on a wrong guess.
                    await CatchUpAsync(CancellationToken.None);
                    continue;
                }

                return CommandResult.Rejected(refusal, Version);
            }

            var decision = decide(State);
            var metadata = new EventMetadata(context.CommandId, _services.Time.GetUtcNow(), context.CorrelationId, context.Actor);
            var request = decision.Rejection is { } rejection
                ? AppendRequest.Rejection(StoreStreamId, Version, context.CommandId, context.Fingerprint, RejectionJson.Serialize(rejection))
                : new AppendRequest(
                    StoreStreamId,
                    Version,
                    decision.Events.Select(e => _services.Serializer.Serialize(e, metadata)).ToList(),
                    context.CommandId,
                    context.Fingerprint);

            AppendResult result;
            // Ended before the events are published: its id is the trace context the events carry to the read models.
            using var append = CqrsTelemetry.StartAppend(StoreStreamId, Version, request.Events.Count, command);
            try
            {
                result = await _services.Store.AppendAsync(request);
            }
            catch (WrongExpectedVersionException ex) when (IsUnread || conflicts < Options.MaxConflictRetries)
            {
                CqrsTelemetry.Fail(append, ex);
                // Another writer moved the stream on (or it had begun before this activation, which guessed it empty):
                // learn what it holds, then decide again against that. A rejection is no exception: it must hold
                // against the stream as stored, not this activation's view.
                if (!IsUnread)
                {
                    conflicts++;
                    LogConflict(ex.StreamId, ex.ExpectedVersion, ex.ActualVersion);
                }

                await CatchUpAsync(CancellationToken.None);
                continue;
            }
            catch (Exception ex)
            {
                CqrsTelemetry.Fail(append, ex);
                throw;
            }

            if (result.IsDuplicate)
            {
                await CatchUpAsync(CancellationToken.None);
                return Replay(result, context);
            }

            if (result.RejectionOutcome is not null)
            {
                return CommandResult.Rejected(decision.Rejection!, result.Version);
            }

            append?.Stop();
            IsUnread = false; // Appended at version 0: the stream was empty.
            Accept(decision.Events, result, metadata, append?.Id);
            return CommandResult.Accepted(result.Version, result.Position);
        }
    }

    /// <summary>Applies and publishes the events of a committed append.</summary>
    private void Accept(IReadOnlyList<IDomainEvent> events, AppendResult result, EventMetadata metadata, string? traceParent)
    {
        // Numbered by the store's answer, not this activation's version: see ApplyNew.
        var firstVersion = result.Version - events.Count + 1;
        var envelopes = new List<EventEnvelope>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            envelopes.Add(new EventEnvelope(StoreStreamId, firstVersion + i, result.Position - events.Count + 1 + i, events[i], metadata, traceParent));
        }

        try
        {
            foreach (var envelope in envelopes)
            {
                ApplyNew(envelope);
            }
        }
        catch (AggregateFaultedException ex)
        {
            // The events are committed, so the command succeeded; only this activation's state is lost (it
            // deactivates). Projections still get the events.
            LogFaultedAfterCommit(ex, StoreStreamId, ex.Version);
        }

        Publish(envelopes);
        TakeSnapshotIfDue();
    }

    private static CommandResult Replay(AppendResult earlier, CommandContext context)
    {
        if (earlier.CommandFingerprint != context.Fingerprint)
        {
            return CommandResult.Rejected(
                new Rejection(RejectionKind.CommandIdReused, "command-id-reused", "This command id was already used for a different command."),
                earlier.Version,
                replayed: true);
        }

        return earlier.RejectionOutcome is { } outcome
            ? CommandResult.Rejected(RejectionJson.Deserialize(outcome), earlier.Version, replayed: true)
            : CommandResult.Accepted(earlier.Version, earlier.Position, replayed: true);
    }

    /// <summary>Whether the stream holds the snapshot's version (one row read, on activation only).</summary>
    private async Task<bool> SnapshotIsInStreamAsync(CancellationToken cancellationToken)
    {
        var at = await _services.Store.ReadStreamAsync(StoreStreamId, Version, 1, cancellationToken);
        return at.Count == 1 && at[0].Version == Version;
    }

    /// <summary>Applies the events stored after <see cref="Version"/>.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await _services.Store.ReadStreamAsync(StoreStreamId, Version + 1, Options.ReadPageSize, cancellationToken);
            foreach (var recorded in page)
            {
                if (recorded.Version > Version) // Else applied while this page was read (see ApplyNew).
                {
                    Apply(_services.Serializer.Deserialize(recorded));
                }
            }

            if (page.Count < Options.ReadPageSize)
            {
                IsUnread = false;
                return;
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="envelope"/> unless this activation has it already. An activation that has not read its
    /// stream (<see cref="StartsUnread"/>) reads it for a call that interleaves with a command (a read-only query), and
    /// that read can find the command's events stored before the command's own answer has applied them: whichever
    /// comes second finds them applied. Never a gap: <see cref="Apply"/> still refuses one.
    /// </summary>
    private void ApplyNew(EventEnvelope envelope)
    {
        if (envelope.Version > Version)
        {
            Apply(envelope);
        }
    }

    private void Apply(EventEnvelope envelope)
    {
        if (envelope.Version != Version + 1)
        {
            throw new InvalidOperationException($"Stream {envelope.StreamId} went from version {Version} to {envelope.Version}.");
        }

        try
        {
            State = State.Apply(envelope.Event);
        }
        catch (Exception ex)
        {
            // The event is committed but the fold refused it: this activation's state can no longer be trusted.
            DeactivateOnIdle();
            throw new AggregateFaultedException(envelope.StreamId, envelope.Version, ex);
        }

        Version = envelope.Version;
    }

    /// <summary>
    /// Publishing runs behind the acknowledgement, in order, on this activation, with at most
    /// <see cref="AggregateOptions.MaxUnpublishedEvents"/> events waiting: past that, events are left to the log.
    /// Events of a namespace nobody subscribes to are not published (<see cref="AggregateOptions.PublishedNamespaces"/>).
    /// </summary>
    private void Publish(List<EventEnvelope> envelopes)
    {
        if (Options.PublishedNamespaces is { } published && !published.Contains(StreamNamespace))
        {
            return;
        }

        if (_unpublished + envelopes.Count > Options.MaxUnpublishedEvents)
        {
            LogPublishSkipped(StoreStreamId, envelopes[^1].Version, _unpublished);
            return;
        }

        _unpublished += envelopes.Count;
        _publishing = PublishAfterAsync(_publishing, envelopes);
    }

    private async Task PublishAfterAsync(Task previous, List<EventEnvelope> envelopes)
    {
        await previous;
        try
        {
            await _services.Publisher.PublishAsync(StreamNamespace, Key, envelopes);
        }
        catch (Exception ex)
        {
            // The events are committed; the command succeeded. Projections get them from the log.
            LogPublishFailed(ex, StoreStreamId, envelopes[^1].Version);
        }
        finally
        {
            _unpublished -= envelopes.Count;
        }
    }

    private void TakeSnapshotIfDue()
    {
        if (Version - _snapshot.State.Version < Options.SnapshotEvery || !_snapshotWrite.IsCompleted)
        {
            return;
        }

        _snapshot.State = new Snapshot<TState> { Version = Version, State = State };
        _snapshotWrite = WriteSnapshotAsync();
    }

    private async Task WriteSnapshotAsync()
    {
        try
        {
            await _snapshot.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // A snapshot only shortens replay; losing one costs time, never correctness.
            LogSnapshotFailed(ex, StoreStreamId, Version);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId} was at {ActualVersion}, not {ExpectedVersion}: catching up and deciding again")]
    private partial void LogConflict(string streamId, long expectedVersion, long actualVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing committed events of {StreamId} up to version {Version} failed; projections read them from the log")]
    private partial void LogPublishFailed(Exception exception, string streamId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events of {StreamId} up to version {Version} are left to the log: {Unpublished} events are still waiting to be published")]
    private partial void LogPublishSkipped(string streamId, long version, int unpublished);

    [LoggerMessage(Level = LogLevel.Error, Message = "The fold of {StreamId} refused its committed event at version {Version}; the command stands, the activation is dropped")]
    private partial void LogFaultedAfterCommit(Exception exception, string streamId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The snapshot of {StreamId} at version {Version} is ahead of its stream; it is discarded and the stream replayed")]
    private partial void LogSnapshotAhead(string streamId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the snapshot of {StreamId} at version {Version} failed")]
    private partial void LogSnapshotFailed(Exception exception, string streamId, long version);
}
