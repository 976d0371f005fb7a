using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// A read model that spans aggregates, built by reading the global log in commit-safe order (position order is commit
/// order). Its checkpoint is a global position, so "reflects position P" is exact: once it has read past P it has
/// applied every event up to P. It polls while active, and reads at once when a caller asks for a position it has
/// not reached. State and position are persisted together, write-behind.
/// </summary>
public abstract partial class LogProjectionGrain<TState> : Grain
    where TState : class
{
    private readonly IPersistentState<LogProjectionState<TState>> _persisted;
    private readonly ProjectionServices _services;
    private readonly ILogger _logger;
    private TState _state;
    private long _position;
    private string? _stuckError;
    private DateTime _stuckSince;
    private Task? _reading;
    private readonly WriteBehind _writeBehind;
    private bool _readSinceActivation;
    private readonly ChangeSignal _advanced = new();

    protected LogProjectionGrain(IPersistentState<LogProjectionState<TState>> persisted, ProjectionServices services)
    {
        _persisted = persisted;
        _services = services;
        _logger = services.Logger;
        _state = Initial;
        _writeBehind = new WriteBehind(PersistAsync, services.Options);
    }

    protected abstract TState Initial { get; }

    /// <summary>Whether this projection wants the event (cheap: it sees every entry of the log).</summary>
    protected abstract bool Includes(RecordedEvent recorded);

    /// <summary>The pure fold of one event into the read state.</summary>
    protected abstract TState Apply(TState state, EventEnvelope envelope);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_persisted.RecordExists && _persisted.State.State is { } state)
        {
            _state = state;
            _position = _persisted.State.Position;
        }

        // Keep-alive: a log projection that idles out must read the whole backlog when it comes back, and nothing
        // else advances it meanwhile. Interleaving: a long catch-up never holds up reads, which are bounded by their wait.
        this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _services.Options.LogPollInterval,
            KeepAlive = true,
            Interleave = true,
        });
        return Task.CompletedTask;
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
    protected async Task<ProjectionRead<TView>> ReadAsync<TView>(long minPosition, TimeSpan wait, Func<TState, long, TView?> view)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var timeout = new CancellationTokenSource(wait);
        // Just activated, what it saved may be far behind the log: a reader gets at least what was committed before
        // it asked, as from any read model, or a stale answer when the wait runs out first.
        while ((_position < minPosition || !_readSinceActivation) && _stuckError is null && !timeout.IsCancellationRequested)
        {
            var advanced = _advanced.Next;
            var reading = ReadLogAsync();
            try
            {
                // A page applied (the read may go on for a long backlog), or the read reached the head.
                await Task.WhenAny(reading, advanced).WaitAsync(timeout.Token);
                if (reading.IsCompleted && !advanced.IsCompleted)
                {
                    // Read to the head and still short: not committed yet as far as it could see. Wait for the next
                    // poll to bring it, rather than reading the store again at once.
                    await advanced.WaitAsync(timeout.Token);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // The wait ran out: answer with what there is, marked stale.
            }
        }

        return new ProjectionRead<TView>(view(_state, _position), _position, _position < minPosition || !_readSinceActivation || _stuckError is not null);
    }

    protected ProjectionStatus Status() => new(_position, _stuckError);

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
            while (_stuckError is null)
            {
                var page = await _services.Store.ReadAllAsync(_position, _services.Options.ReadPageSize);
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
            // The store is down or slow: the next poll tries again from the same position.
            LogReadFailed(ex, GetType().Name, _position);
        }
    }

    private bool TryApply(RecordedEvent recorded)
    {
        try
        {
            _state = Apply(_state, _services.Serializer.Deserialize(recorded));
            _writeBehind.Changed();
            return true;
        }
        catch (Exception ex)
        {
            _stuckSince = DateTime.UtcNow;
            _stuckError = $"Position {recorded.Position} ({recorded.StreamId}@{recorded.Version}, {recorded.Type}): {ex.GetType().Name}: {ex.Message}";
            LogStuck(ex, GetType().Name, recorded.Position);
            return false;
        }
    }

    private async Task<bool> PersistAsync()
    {
        _persisted.State = new LogProjectionState<TState> { Position = _position, State = _state, StuckError = _stuckError };
        try
        {
            await _persisted.WriteStateAsync();
            return true;
        }
        catch (Exception ex)
        {
            // Nothing is lost: after a crash the projection reads the log again from its last saved position.
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
}
