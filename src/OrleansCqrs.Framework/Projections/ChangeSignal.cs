namespace OrleansCqrs.Framework.Projections;

/// <summary>Wakes everyone waiting for a read model to move on; each <see cref="Raise"/> completes the current wait.</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = New();

    public Task Next => _next.Task;

    public void Raise()
    {
        var raised = _next;
        _next = New();
        raised.TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
