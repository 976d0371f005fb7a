using System.Diagnostics;

namespace OrleansCqrs.Framework.EventStore;

/// <summary>
/// An append waiting in a group commit, with the completion its caller awaits and the trace context of its caller's
/// span (default when none), which the batch's commit span links to.
/// </summary>
public sealed class PendingAppend(AppendRequest request)
{
    public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

    private readonly TaskCompletionSource<AppendResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AppendRequest Request { get; } = request;

    /// <summary>When it was queued (<see cref="Stopwatch.GetTimestamp"/>): its deadline runs from here.</summary>
    public long QueuedAt { get; } = Stopwatch.GetTimestamp();

    public Task<AppendResult> Task => _completion.Task;

    public bool IsCompleted => _completion.Task.IsCompleted;

    private int _claim; // Queued, taken by a writer, or failed before any writer took it.
    private const int Queued = 0;
    private const int TakenByWriter = 1;
    private const int FailedInQueue = 2;

    /// <summary>
    /// Claims it for a batch: false when the deadline sweep failed it in the queue first (its caller was told, so it
    /// is never written). One atomic step, so the sweep and a writer never both have it.
    /// </summary>
    internal bool TryTake() => Interlocked.CompareExchange(ref _claim, TakenByWriter, Queued) == Queued;

    /// <summary>Fails it while no writer has taken it: false (and nothing done) once one has.</summary>
    internal bool TryFailInQueue(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _claim, FailedInQueue, Queued) != Queued)
        {
            return false;
        }

        Fail(exception);
        return true;
    }

    public void Succeed(AppendResult result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
