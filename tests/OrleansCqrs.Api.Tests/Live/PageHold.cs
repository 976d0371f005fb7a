namespace OrleansCqrs.Api.Tests.Live;

/// <summary>A log page read held by <see cref="GrainCallProbe"/>: reached once it has its reply, then waits for release.</summary>
public sealed class PageHold
{
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
