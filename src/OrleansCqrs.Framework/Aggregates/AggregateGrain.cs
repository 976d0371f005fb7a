using Microsoft.Extensions.Logging;
using Orleans.Streams;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// An event-sourced aggregate: one activation per id runs its commands one at a time. A command is decided against the
/// state, its events appended to the store (which checks the version, so a second activation or writer can never
/// write the same version), applied, then published on the aggregate's Orleans stream. The state is rebuilt on
/// activation from the latest snapshot plus the events after it.
/// </summary>
public abstract partial class AggregateGrain<TState> : Grain
    where TState : class, IAggregateState<TState>
{
    private readonly IPersistentState<Snapshot<TState>> _snapshot;
    private readonly AggregateServices _services;
    private readonly ILogger _logger;
    private Task _snapshotWrite = Task.CompletedTask;
    private Task _publishing = Task.CompletedTask;
    private IAsyncStream<EventEnvelope>? _stream;

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

    private string StoreStreamId => StreamNames.Store(StreamNamespace, this.GetPrimaryKeyString());

    private AggregateOptions Options => _services.Options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_snapshot.RecordExists && _snapshot.State.State is { } state)
        {
            State = state;
            Version = _snapshot.State.Version;
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
    /// Runs a command: decide, append, apply, publish. A retry with a command id already applied returns the original
    /// outcome, even when the state has moved on so far that deciding again would reject it.
    /// </summary>
    protected async Task<CommandResult> ExecuteAsync(CommandContext context, Func<TState, Decision> decide)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 0; ; attempt++)
        {
            var decision = decide(State);
            if (decision.Rejection is { } rejection)
            {
                // A rejection must hold against the stream as stored, not just this activation's view of it: another
                // writer may have moved it on. Rare path, so one extra read is cheap.
                if (await CatchUpAsync(CancellationToken.None) > 0 && attempt < Options.MaxConflictRetries)
                {
                    continue;
                }

                var earlier = await _services.Store.FindCommandAsync(StoreStreamId, context.CommandId);
                return earlier is null ? CommandResult.Rejected(rejection, Version) : Replay(earlier, context);
            }

            var metadata = new EventMetadata(context.CommandId, _services.Time.GetUtcNow(), context.CorrelationId);
            var request = new AppendRequest(
                StoreStreamId,
                Version,
                decision.Events.Select(e => _services.Serializer.Serialize(e, metadata)).ToList(),
                context.CommandId,
                context.Fingerprint);

            AppendResult result;
            try
            {
                result = await _services.Store.AppendAsync(request);
            }
            catch (WrongExpectedVersionException ex) when (attempt < Options.MaxConflictRetries)
            {
                // Another writer moved the stream on: learn what it wrote, then decide again against the new state.
                LogConflict(ex.StreamId, ex.ExpectedVersion, ex.ActualVersion);
                await CatchUpAsync(CancellationToken.None);
                continue;
            }

            if (result.IsDuplicate)
            {
                await CatchUpAsync(CancellationToken.None);
                return Replay(result, context);
            }

            var firstVersion = Version + 1;
            var envelopes = new List<EventEnvelope>(decision.Events.Count);
            for (var i = 0; i < decision.Events.Count; i++)
            {
                var envelope = new EventEnvelope(StoreStreamId, firstVersion + i, result.Position - decision.Events.Count + 1 + i, decision.Events[i], metadata);
                Apply(envelope);
                envelopes.Add(envelope);
            }

            // The command is acknowledged once committed; publishing runs behind it, in order, on this activation.
            _publishing = PublishAfterAsync(_publishing, envelopes);
            TakeSnapshotIfDue();
            return CommandResult.Accepted(result.Version, result.Position);
        }
    }

    private static CommandResult Replay(AppendResult earlier, CommandContext context) =>
        earlier.CommandFingerprint == context.Fingerprint
            ? CommandResult.Accepted(earlier.Version, earlier.Position, replayed: true)
            : CommandResult.Rejected(
                new Rejection(RejectionKind.CommandIdReused, "command-id-reused", "This command id was already used for a different command."),
                earlier.Version);

    /// <summary>Applies the events stored after <see cref="Version"/>; returns how many there were.</summary>
    private async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        while (true)
        {
            var page = await _services.Store.ReadStreamAsync(StoreStreamId, Version + 1, Options.ReadPageSize, cancellationToken);
            foreach (var recorded in page)
            {
                Apply(_services.Serializer.Deserialize(recorded));
            }

            applied += page.Count;
            if (page.Count < Options.ReadPageSize)
            {
                return applied;
            }
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
        catch
        {
            // The event is committed but the fold refused it: this activation's state can no longer be trusted.
            DeactivateOnIdle();
            throw;
        }

        Version = envelope.Version;
    }

    private async Task PublishAfterAsync(Task previous, List<EventEnvelope> envelopes)
    {
        await previous;
        if (Options.StreamProvider is not { } provider)
        {
            return;
        }

        try
        {
            _stream ??= this.GetStreamProvider(provider)
                .GetStream<EventEnvelope>(StreamId.Create(StreamNamespace, this.GetPrimaryKeyString()));
            foreach (var envelope in envelopes)
            {
                await _stream.OnNextAsync(envelope);
            }
        }
        catch (Exception ex)
        {
            // The events are committed; the command succeeded. Projections fill the gap from the store.
            LogPublishFailed(ex, StoreStreamId, Version);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing committed events of {StreamId} up to version {Version} failed")]
    private partial void LogPublishFailed(Exception exception, string streamId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the snapshot of {StreamId} at version {Version} failed")]
    private partial void LogSnapshotFailed(Exception exception, string streamId, long version);
}
