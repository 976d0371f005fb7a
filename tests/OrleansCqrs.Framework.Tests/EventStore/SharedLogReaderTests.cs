using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.EventStore.InMemory;

namespace OrleansCqrs.Framework.Tests.EventStore;

public sealed class SharedLogReaderTests : IDisposable
{
    private readonly InMemoryEventStore _inner = new();
    private readonly CountingStore _store;

    public SharedLogReaderTests() => _store = new CountingStore(_inner);

    public void Dispose() => _inner.Dispose();

    [Fact]
    public async Task A_read_inside_the_run_is_answered_from_memory()
    {
        await AppendAsync(20);
        var reader = new SharedLogReader(_store);
        await reader.ReadAllAsync(0, 1000);
        var readsAfterWarmUp = _store.Reads;

        foreach (var after in new long[] { 0, 3, 10, 17 })
        {
            var page = await reader.ReadAllAsync(after, 3);
            Assert.Equal(await PositionsAsync(after, 3), page.Select(e => e.Position));
        }

        Assert.Equal(readsAfterWarmUp, _store.Reads);
    }

    [Fact]
    public async Task Readers_reaching_the_end_together_share_a_store_read()
    {
        await AppendAsync(10);
        var reader = new SharedLogReader(_store);
        await reader.ReadAllAsync(0, 1000);
        var before = _store.Reads;
        _store.Hold();

        // The first starts a read of the tail; the other four arrive while it is under way, so they wait for it and
        // then share one more (a read started before their call might miss what they expect to see).
        var first = reader.ReadAllAsync(10, 1000);
        await Until.TrueAsync(() => Task.FromResult(_store.Reads == before + 1), "the first tail read");
        await AppendAsync(5);
        var others = Enumerable.Range(0, 4).Select(_ => reader.ReadAllAsync(10, 1000)).ToArray();
        _store.Release();

        Assert.Empty(await first);
        foreach (var page in await Task.WhenAll(others))
        {
            Assert.Equal(await PositionsAsync(10, 1000), page.Select(e => e.Position));
        }

        Assert.Equal(before + 2, _store.Reads);
    }

    [Fact]
    public async Task A_read_never_answers_from_a_store_read_started_before_its_call()
    {
        await AppendAsync(3);
        var reader = new SharedLogReader(_store);
        await reader.ReadAllAsync(0, 1000);
        _store.Hold();
        var early = reader.ReadAllAsync(3, 1000);
        await Until.TrueAsync(() => Task.FromResult(_store.InFlight == 1), "a tail read under way");

        await AppendAsync(1);
        var late = reader.ReadAllAsync(3, 1000);
        _store.Release();

        Assert.Empty(await early);
        Assert.Equal([4L], (await late).Select(e => e.Position));
    }

    [Fact]
    public async Task A_read_started_from_a_scheduler_that_stops_still_completes_for_the_others()
    {
        await AppendAsync(3);
        var reader = new SharedLogReader(_store);
        await reader.ReadAllAsync(0, 1000);
        _store.Hold();

        // A grain that starts the shared read and is deactivated: its scheduler runs nothing after the first turn.
        var stopped = new SchedulerThatStops();
        _ = Task.Factory.StartNew(() => reader.ReadAllAsync(3, 1000), CancellationToken.None, TaskCreationOptions.None, stopped).Unwrap();
        await Until.TrueAsync(() => Task.FromResult(_store.InFlight == 1), "the shared read under way");
        await AppendAsync(1);
        _store.Release();

        var other = await reader.ReadAllAsync(3, 1000).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([4L], other.Select(e => e.Position));
    }

    [Fact]
    public async Task With_no_capacity_every_read_goes_to_the_store()
    {
        await AppendAsync(4);
        var reader = new SharedLogReader(_store, capacity: 0);
        await reader.ReadAllAsync(0, 1000);
        Assert.Equal(await PositionsAsync(1, 2), (await reader.ReadAllAsync(1, 2)).Select(e => e.Position));
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task A_reader_before_the_run_reads_the_store_and_leaves_the_run_alone()
    {
        await AppendAsync(10);
        var reader = new SharedLogReader(_store);
        await reader.ReadAllAsync(5, 1000);
        var before = _store.Reads;

        Assert.Equal(await PositionsAsync(0, 4), (await reader.ReadAllAsync(0, 4)).Select(e => e.Position));
        Assert.Equal(before + 1, _store.Reads);

        Assert.Equal(await PositionsAsync(6, 2), (await reader.ReadAllAsync(6, 2)).Select(e => e.Position));
        Assert.Equal(before + 1, _store.Reads);
    }

    [Fact]
    public async Task A_failed_store_read_fails_its_readers_and_the_next_read_tries_again()
    {
        await AppendAsync(2);
        var reader = new SharedLogReader(_inner);
        await reader.ReadAllAsync(0, 1000);

        _inner.SimulateOutage = true;
        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => reader.ReadAllAsync(2, 1000));
        _inner.SimulateOutage = false;
        await AppendAsync(1);

        Assert.Equal([3L], (await reader.ReadAllAsync(2, 1000)).Select(e => e.Position));
    }

    [Fact]
    public async Task Checkpointing_readers_see_every_event_once_in_order_while_the_log_grows()
    {
        const int Events = 3_000;
        var reader = new SharedLogReader(_store, capacity: 100);
        using var appending = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < Events; i++)
            {
                await _inner.AppendAsync(new AppendRequest($"s-{i % 37}", i / 37, [new EventData("test.v1", "{}", "{}")], Guid.NewGuid()));
            }
        });

        var readers = Enumerable.Range(0, 5).Select(r => Task.Run(async () =>
        {
            var seen = new List<long>();
            var position = 0L;
            while (seen.Count < Events)
            {
                var page = await reader.ReadAllAsync(position, 7 + (r * 50));
                seen.AddRange(page.Select(e => e.Position));
                position = page.Count > 0 ? page[^1].Position : position;
                if (page.Count == 0)
                {
                    await Task.Yield();
                }
            }

            return seen;
        })).ToArray();

        await writer;
        var all = await PositionsAsync(0, Events);
        foreach (var seen in await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal(all, seen);
        }
    }

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _inner.AppendAsync(new AppendRequest($"s-{Guid.NewGuid():N}", 0, [new EventData("test.v1", "{}", "{}")], Guid.NewGuid()));
        }
    }

    private async Task<List<long>> PositionsAsync(long after, int max) =>
        [.. (await _inner.ReadAllAsync(after, max)).Select(e => e.Position)];

    /// <summary>Runs the first task queued to it and none after: an activation whose turns have stopped.</summary>
    private sealed class SchedulerThatStops : TaskScheduler
    {
        private int _queued;

        protected override void QueueTask(Task task)
        {
            if (Interlocked.Increment(ref _queued) == 1)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
            }
        }

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

        protected override IEnumerable<Task> GetScheduledTasks() => [];
    }

    /// <summary>Counts the log reads that reach the store, and can hold their answers (read, then held).</summary>
    private sealed class CountingStore(IEventStore inner) : IEventStore
    {
        private TaskCompletionSource _gate = Completed();
        private int _reads;
        private int _inFlight;

        public int Reads => Volatile.Read(ref _reads);

        public int InFlight => Volatile.Read(ref _inFlight);

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            Interlocked.Increment(ref _inFlight);
            try
            {
                var page = await inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);
                await _gate.Task;
                return page;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<AppendResult> AppendAsync(AppendRequest request, CancellationToken cancellationToken = default) => inner.AppendAsync(request, cancellationToken);

        public Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) => inner.FindCommandAsync(streamId, commandId, cancellationToken);

        public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
            inner.ReadStreamAsync(streamId, fromVersion, maxCount, cancellationToken);

        public Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        private static TaskCompletionSource Completed()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }
}
