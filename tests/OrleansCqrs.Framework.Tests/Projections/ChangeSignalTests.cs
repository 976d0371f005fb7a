using OrleansCqrs.Framework.Projections;

namespace OrleansCqrs.Framework.Tests.Projections;

/// <summary>
/// The signal a projection raises on every event it applies, for readers waiting for a version. Nearly always nobody
/// waits, so a raise then must cost nothing; a reader that does wait is woken by the next raise, and only by it.
/// </summary>
public sealed class ChangeSignalTests
{
    [Fact]
    public async Task A_waiter_is_woken_by_the_next_raise_and_a_later_waiter_by_the_one_after()
    {
        var signal = new ChangeSignal();
        var first = signal.Next;
        Assert.Same(first, signal.Next);
        Assert.False(first.IsCompleted);

        signal.Raise();
        await first.WaitAsync(TimeSpan.FromSeconds(5));

        var second = signal.Next;
        Assert.False(second.IsCompleted);
        signal.Raise();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_wait_asked_for_after_a_raise_is_not_completed_by_it()
    {
        var signal = new ChangeSignal();
        signal.Raise();

        Assert.False(signal.Next.IsCompleted);
    }

    [Fact]
    public void Raising_with_nobody_waiting_makes_nothing()
    {
        var signal = new ChangeSignal();
        signal.Raise();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            signal.Raise();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
