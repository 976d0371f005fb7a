using System.Collections.Concurrent;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Tests.EventStore;

/// <summary>How appends are gathered into batches, seen through a store that records every batch it is given.</summary>
public sealed class GroupCommitEventStoreTests
{
    private static AppendRequest Append(string stream, long expected = 0) =>
        new(stream, expected, [new EventData("test.v1", "{}", "{}")], Guid.NewGuid());

    [Fact]
    public async Task Appends_queued_while_a_batch_commits_are_written_together_in_the_next_one()
    {
        await using var store = new RecordingStore(new GroupCommitOptions { MaxBatchSize = 512 });
        var first = store.AppendAsync(Append("s-0"));
        await store.FirstBatchStarted.WaitAsync(TimeSpan.FromSeconds(10));

        var queued = Enumerable.Range(1, 100).Select(i => store.AppendAsync(Append($"s-{i}"))).ToList();
        store.ReleaseFirstBatch();
        var results = await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 100], store.BatchSizes);
        Assert.Equal(101, results.Select(r => r.Position).Distinct().Count());
    }

    [Fact]
    public async Task A_batch_never_holds_two_appends_to_one_stream_and_keeps_their_order()
    {
        await using var store = new RecordingStore(new GroupCommitOptions());
        var first = store.AppendAsync(Append("blocker"));
        await store.FirstBatchStarted.WaitAsync(TimeSpan.FromSeconds(10));

        var a1 = store.AppendAsync(Append("a", 0));
        var b1 = store.AppendAsync(Append("b", 0));
        var a2 = store.AppendAsync(Append("a", 1));
        store.ReleaseFirstBatch();
        await Task.WhenAll(first, a1, b1, a2).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([["blocker"], ["a", "b"], ["a"]], store.Batches);
        Assert.True((await a2).Position > (await a1).Position);
    }

    [Fact]
    public async Task The_batch_size_limit_splits_a_long_queue()
    {
        await using var store = new RecordingStore(new GroupCommitOptions { MaxBatchSize = 30 });
        var first = store.AppendAsync(Append("s-0"));
        await store.FirstBatchStarted.WaitAsync(TimeSpan.FromSeconds(10));

        var queued = Enumerable.Range(1, 70).Select(i => store.AppendAsync(Append($"s-{i}"))).ToList();
        store.ReleaseFirstBatch();
        await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 30, 30, 10], store.BatchSizes);
    }

    [Fact]
    public async Task A_failed_batch_fails_each_of_its_appends_and_the_store_goes_on()
    {
        await using var store = new RecordingStore(new GroupCommitOptions()) { FailNextBatch = true };
        store.ReleaseFirstBatch();

        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync(Append("s-1")).WaitAsync(TimeSpan.FromSeconds(10)));
        var after = await store.AppendAsync(Append("s-2")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, after.Version);
    }

    [Fact]
    public async Task A_writer_that_hangs_fails_its_appends_at_the_deadline_instead_of_holding_them()
    {
        await using var store = new HangingStore(new GroupCommitOptions { AppendTimeout = TimeSpan.FromMilliseconds(300) });

        var failure = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync(Append("s-1")).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("did not answer", failure.Message, StringComparison.Ordinal);
        store.Release();
    }

    [Fact]
    public async Task Appends_queued_behind_a_hung_writer_fail_at_their_deadline_and_are_not_written_after_it()
    {
        await using var store = new RecordingStore(new GroupCommitOptions { AppendTimeout = TimeSpan.FromMilliseconds(300) });
        var inHand = store.AppendAsync(Append("s-0"));
        await store.FirstBatchStarted.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = store.AppendAsync(Append("s-1"));

        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => inHand.WaitAsync(TimeSpan.FromSeconds(10)));
        store.ReleaseFirstBatch();
        // A later append written shows the writer went past the failed one. Its deadline is short too: on a loaded
        // machine it may pass before the writer gets to it, so another is sent until one is written.
        var marker = 2;
        await Until.TrueAsync(
            async () =>
            {
                try
                {
                    await store.AppendAsync(Append($"s-{marker++}")).WaitAsync(TimeSpan.FromSeconds(10));
                    return true;
                }
                catch (EventStoreUnavailableException)
                {
                    return false;
                }
            },
            "an append behind the failed one to be written");

        // The batch in hand was written after all (its caller was told it may have been); the queued append, whose
        // caller was told it failed, never is.
        Assert.Equal(["s-0"], store.Batches[0]);
        Assert.DoesNotContain(store.Batches, batch => batch.Contains("s-1"));
    }

    [Fact]
    public async Task Shutting_down_under_a_hung_writer_fails_what_is_queued_and_throws_on_no_thread()
    {
        var store = new HangingStore(new GroupCommitOptions { ShutdownTimeout = TimeSpan.FromMilliseconds(200), AppendTimeout = TimeSpan.FromMinutes(1) });
        var inFlight = store.AppendAsync(Append("s-1"));
        await store.Writing.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = store.AppendAsync(Append("s-2"));

        await store.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<EventStoreUnavailableException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        // The writer wakes up after the store was disposed: it must finish its batch and leave quietly (an exception
        // on its thread would end the test process).
        store.Release();
        Assert.Equal(1, (await inFlight.WaitAsync(TimeSpan.FromSeconds(10))).Version);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.AnyWriterAlive)
        {
            Assert.True(DateTime.UtcNow < deadline, "The writer thread did not end after its queue was completed.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task An_append_the_backend_reports_nothing_for_fails_at_once()
    {
        await using var store = new HangingStore(new GroupCommitOptions()) { ForgetAppends = true };
        store.Release();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync(Append("s-1")).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("no outcome", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Its writer blocks in every batch until released, like a database call that never answers.</summary>
    private sealed class HangingStore(GroupCommitOptions options) : WriteOnlyStore(options)
    {
        private readonly TaskCompletionSource _writing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();

        public bool ForgetAppends { get; init; }

        public Task Writing => _writing.Task;

        public void Release() => _release.Set();

        protected override void WriteBatch(IReadOnlyList<PendingAppend> batch)
        {
            _writing.TrySetResult();
            _release.Wait();
            if (ForgetAppends)
            {
                return;
            }

            foreach (var append in batch)
            {
                append.Succeed(new AppendResult(append.Request.ExpectedVersion + 1, 1));
            }
        }
    }

    /// <summary>Completes every append with a fake position; the first batch waits until released.</summary>
    private sealed class RecordingStore(GroupCommitOptions options) : WriteOnlyStore(options)
    {
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _release = new();
        private readonly ConcurrentQueue<string[]> _batches = new();
        private long _position;

        public bool FailNextBatch { get; set; }

        public Task FirstBatchStarted => _firstStarted.Task;

        public IReadOnlyList<string[]> Batches => [.. _batches];

        public IReadOnlyList<int> BatchSizes => _batches.Select(b => b.Length).ToList();

        public void ReleaseFirstBatch() => _release.Set();

        protected override void WriteBatch(IReadOnlyList<PendingAppend> batch)
        {
            if (FailNextBatch)
            {
                FailNextBatch = false;
                throw new EventStoreUnavailableException("simulated");
            }

            if (_firstStarted.TrySetResult())
            {
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            _batches.Enqueue([.. batch.Select(a => a.Request.StreamId)]);
            foreach (var append in batch)
            {
                append.Succeed(new AppendResult(append.Request.ExpectedVersion + 1, ++_position));
            }
        }

        protected override ValueTask ReleaseResourcesAsync()
        {
            _release.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A group-commit store that is only ever written to in these tests.</summary>
    private abstract class WriteOnlyStore(GroupCommitOptions options) : GroupCommitEventStore(options)
    {
        public override Task<AppendResult?> FindCommandAsync(string streamId, Guid commandId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public override Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public override Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public override Task<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
