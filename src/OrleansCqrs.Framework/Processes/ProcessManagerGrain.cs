using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Processes;

/// <summary>
/// An event-sourced process manager: an aggregate whose commands start a process that then runs steps against other
/// aggregates. Each step sends a command with a command id derived from the process id and the step
/// (<see cref="StepContext"/>), and records its outcome as this aggregate's events (<see cref="RecordAsync"/>), so a
/// step run twice (after a crash, or by two callers) is applied once and answered the same.
/// <para>
/// The steps run after the command that started the process has been answered, as a call of the grain to itself, so
/// they never interleave with its other commands. A process that stops half way (its silo died, a step failed) is
/// found in the log and resumed by the <see cref="ProcessResumer"/>; an activation also resumes an unfinished process.
/// </para>
/// <para>
/// Most processes are begun by their first command, on an id nobody used before: an activation takes that command
/// without reading its (empty) stream first, and the append, which expects version 0, checks the guess. Any other
/// first call reads the stream before it runs.
/// </para>
/// </summary>
public abstract partial class ProcessManagerGrain<TState, TCommand>(IPersistentState<Snapshot<TState>> snapshot, AggregateServices services)
    : AggregateGrain<TState, TCommand>(snapshot, services), IProcessManager, IIncomingGrainCallFilter
    where TState : class, IAggregateState<TState>
    where TCommand : class
{
    // Every process is an activation of its own: its type's attribute is read once per type, not once per process.
    private static readonly ConcurrentDictionary<Type, string?> Namespaces = new();

    private readonly ILogger _logger = services.Logger;

    protected sealed override string StreamNamespace =>
        Namespaces.GetOrAdd(GetType(), static type => type.GetCustomAttribute<ProcessManagerAttribute>()?.StreamNamespace)
        ?? throw new InvalidOperationException($"{GetType().Name} needs [ProcessManager(\"stream-namespace\")].");

    /// <summary>Whether the process has ended (its last event is an <see cref="IProcessOutcome"/>), or has not started.</summary>
    protected abstract bool IsEnded(TState state);

    /// <summary>Whether a process has started (its first command was accepted).</summary>
    protected bool HasStarted => Version > 0;

    /// <summary>
    /// Runs the next step of the process in <paramref name="state"/> and records its outcome with
    /// <see cref="RecordAsync"/>. Throws when the step could not run (a timeout, an unavailable silo): the process is
    /// resumed later.
    /// </summary>
    protected abstract Task StepAsync(TState state);

    private protected override bool StartsUnread => true;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        ResumeIfUnfinished();
    }

    /// <summary>Every call but a command reads the stream first, if this activation has not yet.</summary>
    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (IsUnread && context.ImplementationMethod?.Name != nameof(Execute))
        {
            await ReadIfUnreadAsync();
            if (context.ImplementationMethod?.Name != nameof(Resume))
            {
                ResumeIfUnfinished(); // What the activation would have done, had it read the stream.
            }
        }

        await context.Invoke();
        if (HasStarted && IsEnded(State))
        {
            // A read (or a request sent again) woke a process that had ended: it leaves memory again, as it did when it
            // ended, instead of staying for the collection age.
            DeactivateOnIdle();
        }
    }

    public override async Task<CommandResult> Execute(TCommand command, CommandContext context)
    {
        var unread = IsUnread;
        var result = await base.Execute(command, context);
        if (result.IsAccepted || unread)
        {
            ResumeIfUnfinished();
        }

        return result;
    }

    public async Task<bool> Resume()
    {
        while (HasStarted && !IsEnded(State))
        {
            var before = Version;
            await StepAsync(State);
            if (Version == before)
            {
                throw new InvalidOperationException($"A step of {StreamNamespace}/{this.GetPrimaryKeyString()} recorded nothing at version {Version}.");
            }
        }

        if (HasStarted && IsEnded(State))
        {
            // An ended process is read rarely, and every process is an activation of its own: thousands a second would
            // otherwise stay in memory for the collection age (15 minutes by default). A later read re-activates it
            // from its few events; a read waiting for the end still gets its answer before the activation goes.
            DeactivateOnIdle();
        }

        return !HasStarted || IsEnded(State);
    }

    /// <summary>The context of <paramref name="step"/>'s command: its derived id, sent for <paramref name="actor"/> (null: trusted).</summary>
    protected CommandContext StepContext(string step, Actor? actor = null) =>
        new(CommandIds.Derive($"{StreamNamespace}/{this.GetPrimaryKeyString()}", step), Actor: actor);

    /// <summary>Records the outcome of <paramref name="step"/> as this process's events (once, whatever the retries).</summary>
    protected async Task RecordAsync(string step, Func<TState, Decision> decide)
    {
        var result = await ExecuteAsync(StepContext($"record:{step}"), decide, command: "record-step");
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException($"{StreamNamespace}/{this.GetPrimaryKeyString()} refused to record step {step}: {result.Rejection}");
        }
    }

    private void ResumeIfUnfinished()
    {
        if (HasStarted && !IsEnded(State))
        {
            ResumeSoon();
        }
    }

    /// <summary>Runs the rest of the process as a call to itself, queued behind the command being answered.</summary>
    private void ResumeSoon() =>
        _ = this.AsReference<IProcessManager>().Resume().ContinueWith(
            t => LogResumeFailed(t.Exception!.GetBaseException(), StreamNamespace, this.GetPrimaryKeyString()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A step of process {StreamNamespace}/{ProcessId} failed; the process resumer runs it again")]
    private partial void LogResumeFailed(Exception exception, string streamNamespace, string processId);
}
