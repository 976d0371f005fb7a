namespace OrleansCqrs.Framework.Projections;

/// <summary>
/// Wakes everyone waiting for a read model to move on; each <see cref="Raise"/> completes the current wait. The wait is
/// made only when someone asks for it: a projection raises on every event, and nearly always nobody is waiting.
/// Used from one grain's turns only (not thread-safe).
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource? _next;

    public Task Next => (_next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Raise()
    {
        var raised = _next;
        _next = null;
        raised?.TrySetResult();
    }
}
