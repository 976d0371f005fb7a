using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Tests.EventStore;

/// <summary>The writer's queue: callers add without a lock, and the writer sleeps only while it is empty.</summary>
public sealed class AppendQueueTests
{
    private static PendingAppend Append(string stream) => new(new AppendRequest(stream, 0, [new EventData("test.v1", "{}", "{}")], Guid.NewGuid()));

    [Fact]
    public async Task A_writer_gets_every_append_of_many_callers_once_and_in_each_callers_order()
    {
        using var queue = new AppendQueue();
        const int callers = 4, each = 20_000;
        var taken = new List<string>(callers * each);
        var writer = Task.Factory.StartNew(
            () =>
            {
                while (queue.Take(out var append))
                {
                    taken.Add(append.Request.StreamId);
                }
            },
            TaskCreationOptions.LongRunning);

        // Callers pause now and then, so that the writer keeps falling asleep and has to be woken.
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                Assert.True(queue.TryAdd(Append($"{c}-{i}")));
                if (i % 1_000 == 0)
                {
                    await Task.Delay(1);
                }
            }
        })));
        queue.Complete();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(callers * each, taken.Count);
        foreach (var caller in Enumerable.Range(0, callers))
        {
            var order = taken.Where(s => s.StartsWith($"{caller}-", StringComparison.Ordinal)).Select(s => int.Parse(s[(s.IndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, each), order);
        }
    }

    [Fact]
    public async Task An_add_wakes_a_sleeping_writer_and_completing_ends_its_wait()
    {
        using var queue = new AppendQueue();
        var first = Task.Factory.StartNew(() => queue.Take(out var append) ? append.Request.StreamId : null, TaskCreationOptions.LongRunning);
        await Until.TrueAsync(() => Task.FromResult(queue.WriterSleeps), "the writer to fall asleep on the empty queue");
        queue.TryAdd(Append("s-1"));
        Assert.Equal("s-1", await first.WaitAsync(TimeSpan.FromSeconds(10)));

        var last = Task.Factory.StartNew(() => queue.Take(out _), TaskCreationOptions.LongRunning);
        await Until.TrueAsync(() => Task.FromResult(queue.WriterSleeps), "the writer to fall asleep again");
        queue.Complete();
        Assert.False(await last.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(queue.TryAdd(Append("s-2")));
    }
}
