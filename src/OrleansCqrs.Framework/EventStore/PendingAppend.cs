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

    public void Succeed(AppendResult result) => _completion.TrySetResult(result);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
