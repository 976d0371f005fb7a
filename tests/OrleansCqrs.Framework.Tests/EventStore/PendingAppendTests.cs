using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Tests.EventStore;

/// <summary>
/// The deadline sweep and a writer race for a queued append: exactly one of them has it, so an append failed in the
/// queue is never written, and one a writer took is never failed as "not written".
/// </summary>
public sealed class PendingAppendTests
{
    private static PendingAppend Append() => new(new AppendRequest($"s-{Guid.NewGuid():N}", 0, [new EventData("test.v1", "{}", "{}")], Guid.NewGuid()));

    [Fact]
    public void An_append_a_writer_took_is_not_failed_by_the_sweep()
    {
        var append = Append();

        Assert.True(append.TryTake());
        Assert.False(append.TryFailInQueue(new EventStoreUnavailableException("overdue")));
        Assert.False(append.IsCompleted);
    }

    [Fact]
    public async Task An_append_the_sweep_failed_in_the_queue_is_not_taken_by_a_writer()
    {
        var append = Append();

        Assert.True(append.TryFailInQueue(new EventStoreUnavailableException("overdue")));
        Assert.False(append.TryTake());
        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => append.Task);
    }

    [Fact]
    public async Task Racing_each_other_a_thousand_times_the_sweep_and_a_writer_never_both_have_an_append()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var append = Append();
            using var start = new Barrier(2);
            var taken = Task.Run(() => { start.SignalAndWait(); return append.TryTake(); });
            var failed = Task.Run(() => { start.SignalAndWait(); return append.TryFailInQueue(new EventStoreUnavailableException("overdue")); });

            var (wasTaken, wasFailed) = (await taken, await failed);
            Assert.True(wasTaken ^ wasFailed, $"Round {i}: taken {wasTaken}, failed {wasFailed}.");
        }
    }
}
