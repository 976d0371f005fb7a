using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Projections.Rows;
using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Framework.Telemetry;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A read model that spans aggregates, built by reading the global log in commit-safe order (position order is commit
/// order). Its checkpoint is a global position, so "reflects position P" is exact: once it has read past P it has
/// applied every event up to P. It polls while active (and stays active), and reads at once when a caller asks for a
/// position it has not reached. Its model is rows by key plus a header; a save (write-behind) writes the checkpoint,
/// the header and only the rows changed since the last save, in one transaction (<see cref="IProjectionRowStore"/>).
/// </summary>
[ReadSide]
public abstract partial class LogProjectionGrain<TModel> : Grain
    where TModel : KeyedReadModel
{
    private readonly ProjectionServices _services;
    private readonly IProjectionRowStore _rows;
    private readonly Serializer _serializer;
    private readonly ILogger _logger;
    private readonly WriteBehind _writeBehind;
    private readonly ChangeSignal _advanced = new();
    private TModel _model = null!;
    private long _position;
    private long _etag;
    private bool _retired;
    private string? _stuckError;
    private DateTime _stuckSince;
    private Task? _reading;
    private bool _readSinceActivation;
    private bool _logUnreadable;
    private IGrainTimer? _poll;

    protected LogProjectionGrain(ProjectionServices services, IProjectionRowStore rows, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _rows = rows;
        _serializer = serializer;
        _logger = services.Logger;
        _writeBehind = new WriteBehind(PersistAsync, services.Options);
    }

    /// <summary>An empty model: the read model before the first event of the log.</summary>
    protected abstract TModel CreateModel();

    /// <summary>Whether this projection wants the event (cheap: it sees every entry of the log).</summary>
    protected abstract bool Includes(RecordedEvent recorded);

    /// <summary>
    /// The fold of one event into the model (deterministic, no I/O). If it throws, whatever it changed is undone and
    /// the projection stops at that event (stuck), to try it again later.
    /// </summary>
    protected abstract void Apply(TModel model, EventEnvelope envelope);

    /// <summary>Where its rows are stored: the grain id, unique per projection type and key.</summary>
    private string ProjectionId => this.GetGrainId().ToString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _model = CreateModel();
        if (await _rows.LoadAsync(ProjectionId, cancellationToken) is { } stored)
        {
            _retired = stored.Retired;
            _etag = stored.Etag;
            if (!_retired)
            {
                _model.Load(_serializer, stored);
                _position = stored.Position;
            }
        }

        if (_retired)
        {
            // A replaced generation, rows deleted: it answers stale and does not read the log again.
            return;
        }

        // Keep-alive: a log projection that idles out must read the whole backlog when it comes back, and nothing
        // else advances it meanwhile. Interleaving: a long catch-up never holds up reads, which are bounded by their wait.
        _poll = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _services.Options.LogPollInterval,
            KeepAlive = true,
            Interleave = true,
        });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _writeBehind.FlushAsync();
    }

    /// <summary>
    /// Reads the view once it reflects at least global position <paramref name="minPosition"/>, waiting up to
    /// <paramref name="wait"/> (call it from an interleaving grain method). Nothing here waits past
    /// <paramref name="wait"/>: not a first catch-up over a long backlog, not a slow store, not a position beyond the
    /// log; when it runs out the reader gets what there is, marked stale, and the catch-up goes on behind it.
    /// </summary>
    protected async Task<LogRead<TView>> ReadAsync<TView>(long minPosition, TimeSpan wait, Func<TModel, long, TView?> view)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var timeout = new CancellationTokenSource(wait);
        // Just activated, what it saved may be far behind the log: a reader gets at least what was committed before
        // it asked, as from any read model, or a stale answer when the wait runs out first.
        bool Behind() => _position < minPosition || !_readSinceActivation;
        while (Behind() && _stuckError is null && !_retired && !timeout.IsCancellationRequested)
        {
            var advanced = _advanced.Next;
            var reading = ReadLogAsync();
            try
            {
                // A page applied (the read may go on for a long backlog), or the read reached the head.
                await Task.WhenAny(reading, advanced).WaitAsync(timeout.Token);
                if (reading.IsCompleted && !advanced.IsCompleted && Behind())
                {
                    // Read to the head (or the read failed) and still short: not committed yet as far as it could see.
                    // Wait for the next poll to bring it, rather than reading the store again at once. A read that
                    // found nothing new raises nothing: had it been enough, the reader would wait out its deadline.
                    await advanced.WaitAsync(timeout.Token);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // The wait ran out: answer with what there is, marked stale.
            }
        }

        // The last read of the log failed (its database down, say): what it holds is served, not vouched for.
        var stale = Behind() || _stuckError is not null || _retired || _logUnreadable;
        return new LogRead<TView>(view(_model, _position), _position, stale);
    }

    protected LogStatus Status() => new(_position, _stuckError);

    /// <summary>
    /// Deletes the stored rows for good (a rebuild generation that was replaced) and deactivates; a later activation
    /// finds it retired and answers stale without reading the log.
    /// </summary>
    protected async Task RetireAsync()
    {
        _retired = true;
        _poll?.Dispose();
        await _rows.RetireAsync(ProjectionId);
        DeactivateOnIdle();
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (_stuckError is not null && DateTime.UtcNow - _stuckSince >= _services.Options.StuckRetryInterval)
        {
            // The fold may succeed now (a transient failure, or a fixed dependency): try the event again, still in order.
            _stuckError = null;
        }

        await ReadLogAsync();
        _writeBehind.SaveIfDue();
    }

    /// <summary>One read of the log to its end at a time; concurrent callers share it.</summary>
    private Task ReadLogAsync()
    {
        if (_reading is not { IsCompleted: false })
        {
            _reading = ReadLogOnceAsync();
        }

        return _reading;
    }

    private async Task ReadLogOnceAsync()
    {
        try
        {
            while (_stuckError is null && !_retired)
            {
                var page = await _services.Log.ReadAllAsync(_position, _services.Options.ReadPageSize);
                _logUnreadable = false;
                foreach (var recorded in page)
                {
                    if (Includes(recorded) && !TryApply(recorded))
                    {
                        break;
                    }

                    _position = recorded.Position;
                }

                if (page.Count > 0)
                {
                    _advanced.Raise();
                }

                if (page.Count < _services.Options.ReadPageSize)
                {
                    _readSinceActivation = true;
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            // The store is down or slow: the next poll tries again from the same position; reads say stale meanwhile.
            _logUnreadable = true;
            LogReadFailed(ex, GetType().Name, _position);
        }
    }

    private bool TryApply(RecordedEvent recorded)
    {
        _model.BeginChange();
        try
        {
            var envelope = _services.Serializer.Deserialize(recorded);
            Apply(_model, envelope);
            _model.CommitChange();
            _writeBehind.Changed();
            // How far behind the log it is in events is not known here without another read of the head: time only.
            CqrsMetrics.RecordApplied(GetType().Name, envelope.Metadata.Timestamp, eventsBehind: -1);
            return true;
        }
        catch (Exception ex)
        {
            _model.RollbackChange();
            _stuckSince = DateTime.UtcNow;
            _stuckError = $"Position {recorded.Position} ({recorded.StreamId}@{recorded.Version}, {recorded.Type}): {ex.GetType().Name}: {ex.Message}";
            LogStuck(ex, GetType().Name, recorded.Position);
            return false;
        }
    }

    private async Task<bool> PersistAsync()
    {
        if (_retired)
        {
            return true;
        }

        // Taken with no await before it: the rows, header and position of one instant, however many events are
        // applied while the save is under way (they are marked changed for the next save).
        var changes = _model.TakeChanges(_serializer);
        var save = new ProjectionSave(ProjectionId, _etag, _position, changes.Header, _stuckError, changes.Upserts, changes.Deletes);
        try
        {
            _etag = await _rows.SaveAsync(save);
            return true;
        }
        catch (ProjectionConflictException ex)
        {
            // Another activation of this projection saved since this one loaded: this one is the stale copy.
            _model.MarkChanged(changes.Keys);
            LogConflict(ex, GetType().Name, _position);
            DeactivateOnIdle();
            return false;
        }
        catch (Exception ex)
        {
            // Nothing is lost: the rows stay marked changed, and after a crash the projection reads the log again
            // from its last saved position.
            _model.MarkChanged(changes.Keys);
            LogPersistFailed(ex, GetType().Name, _position);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Projection} could not read the log after position {Position}")]
    private partial void LogReadFailed(Exception exception, string projection, long position);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Projection} is stuck: the event at position {Position} fails to apply")]
    private partial void LogStuck(Exception exception, string projection, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persisting {Projection} at position {Position} failed")]
    private partial void LogPersistFailed(Exception exception, string projection, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Projection} at position {Position} was saved by another activation; this one deactivates")]
    private partial void LogConflict(Exception exception, string projection, long position);
}
