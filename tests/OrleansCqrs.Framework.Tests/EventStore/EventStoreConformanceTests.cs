using System.Diagnostics;
using System.Text.Json;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Framework.Tests.EventStore;

/// <summary>The contract every event-store backend keeps; one subclass per backend runs it.</summary>
public abstract class EventStoreConformanceTests<TFixture>(TFixture fixture)
    where TFixture : IEventStoreFixture
{
    protected TFixture Fixture { get; } = fixture;

    private IEventStore Store => Fixture.Store;

    private static string NewStream() => $"test-{Guid.NewGuid():N}";

    private static EventData Event(int n, string? payload = null) =>
        new("test.happened.v1", JsonSerializer.Serialize(new { n, payload }), JsonSerializer.Serialize(new { source = "conformance" }));

    private static AppendRequest Append(string stream, long expected, int count, Guid? command = null, string? fingerprint = null) =>
        new(stream, expected, Enumerable.Range(1, count).Select(i => Event((int)expected + i)).ToList(), command ?? Guid.NewGuid(), fingerprint);

    [Fact]
    public async Task Appended_events_read_back_in_order_with_gapless_versions_and_rising_positions()
    {
        var stream = NewStream();
        var first = await Store.AppendAsync(Append(stream, 0, 3));
        var second = await Store.AppendAsync(Append(stream, 3, 2));

        var events = await Store.ReadStreamAsync(stream, 1, 100);

        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Version));
        Assert.Equal(3, first.Version);
        Assert.Equal(5, second.Version);
        Assert.False(first.IsDuplicate);
        Assert.Equal(first.Position, events[2].Position);
        Assert.Equal(second.Position, events[4].Position);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.Second.Position > p.First.Position));
        Assert.All(events, e => Assert.Equal(stream, e.StreamId));
        Assert.Equal(Event(4).Data, events[3].Data);
        Assert.Equal("test.happened.v1", events[3].Type);
        Assert.Contains("conformance", events[3].Metadata, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_stream_from_a_version_returns_that_version_onwards_up_to_the_limit()
    {
        var stream = NewStream();
        await Store.AppendAsync(Append(stream, 0, 10));

        var page = await Store.ReadStreamAsync(stream, 4, 3);
        var rest = await Store.ReadStreamAsync(stream, 11, 3);
        var unknown = await Store.ReadStreamAsync(NewStream(), 1, 10);

        Assert.Equal([4L, 5, 6], page.Select(e => e.Version));
        Assert.Empty(rest);
        Assert.Empty(unknown);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task An_append_at_the_wrong_version_fails_loudly_and_writes_nothing(long expected)
    {
        var stream = NewStream();
        await Store.AppendAsync(Append(stream, 0, 2));

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync(Append(stream, expected, 1)));

        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(expected, conflict.ExpectedVersion);
        Assert.Equal(2, (await Store.ReadStreamAsync(stream, 1, 100)).Count);
    }

    [Fact]
    public async Task A_repeated_command_id_writes_nothing_and_returns_the_original_result()
    {
        var stream = NewStream();
        var command = Guid.NewGuid();
        var original = await Store.AppendAsync(Append(stream, 0, 2, command, "fp-1"));
        await Store.AppendAsync(Append(stream, 2, 1));

        // The retry still expects version 0: a duplicate is recognised before the version is checked.
        var retry = await Store.AppendAsync(Append(stream, 0, 2, command, "fp-1"));
        var found = await Store.FindCommandAsync(stream, command);

        Assert.True(retry.IsDuplicate);
        Assert.Equal((original.Version, original.Position), (retry.Version, retry.Position));
        Assert.Equal("fp-1", retry.CommandFingerprint);
        Assert.Equal((original.Version, original.Position, "fp-1"), (found!.Version, found.Position, found.CommandFingerprint));
        Assert.Equal(3, (await Store.ReadStreamAsync(stream, 1, 100)).Count);
        Assert.Null(await Store.FindCommandAsync(stream, Guid.NewGuid()));
    }

    [Fact]
    public async Task A_command_id_is_unique_per_stream_not_across_streams()
    {
        var command = Guid.NewGuid();
        var a = await Store.AppendAsync(Append(NewStream(), 0, 1, command));
        var b = await Store.AppendAsync(Append(NewStream(), 0, 1, command));

        Assert.False(a.IsDuplicate);
        Assert.False(b.IsDuplicate);
        Assert.NotEqual(a.Position, b.Position);
    }

    [Fact]
    public async Task Of_concurrent_writers_at_the_same_version_exactly_one_wins()
    {
        var stream = NewStream();
        var attempts = Enumerable.Range(0, 16).Select(_ => Capture(() => Store.AppendAsync(Append(stream, 0, 1)))).ToList();

        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o.Result is not null);
        Assert.All(outcomes.Where(o => o.Result is null), o => Assert.IsType<WrongExpectedVersionException>(o.Error));
        Assert.Single(await Store.ReadStreamAsync(stream, 1, 100));
    }

    [Fact]
    public async Task Concurrent_writers_that_retry_on_conflict_leave_a_gapless_stream()
    {
        var stream = NewStream();
        var successes = 0;
        var writers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                while (true)
                {
                    var version = (await Store.ReadStreamAsync(stream, 1, 10_000)).Count;
                    try
                    {
                        await Store.AppendAsync(Append(stream, version, 2));
                        Interlocked.Increment(ref successes);
                        break;
                    }
                    catch (WrongExpectedVersionException)
                    {
                        // Lost the race: read the new version and try again.
                    }
                }
            }
        }));

        await Task.WhenAll(writers);

        var events = await Store.ReadStreamAsync(stream, 1, 10_000);
        Assert.Equal(60, successes);
        Assert.Equal(Enumerable.Range(1, 120).Select(v => (long)v), events.Select(e => e.Version));
    }

    [Fact]
    public async Task Appends_queued_to_one_stream_without_waiting_commit_in_the_order_they_were_made()
    {
        var stream = NewStream();

        var appends = Enumerable.Range(0, 20).Select(v => Store.AppendAsync(Append(stream, v, 1))).ToList();
        var results = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), results.Select(r => r.Version));
        Assert.True(results.Zip(results.Skip(1)).All(p => p.Second.Position > p.First.Position));
    }

    [Fact]
    public async Task Concurrent_appends_to_many_streams_each_get_their_own_result()
    {
        var streams = Enumerable.Range(0, 300).Select(_ => NewStream()).ToList();

        var results = await Task.WhenAll(streams.Select(s => Store.AppendAsync(Append(s, 0, 2))));

        Assert.All(results, r => Assert.Equal(2, r.Version));
        Assert.Equal(results.Length, results.Select(r => r.Position).Distinct().Count());
        foreach (var (stream, result) in streams.Zip(results))
        {
            var events = await Store.ReadStreamAsync(stream, 1, 10);
            Assert.Equal(result.Position, events[^1].Position);
        }
    }

    [Fact]
    public async Task A_conflicting_append_fails_alone_when_batched_with_good_ones()
    {
        var taken = NewStream();
        await Store.AppendAsync(Append(taken, 0, 1));
        var good = Enumerable.Range(0, 100).Select(_ => NewStream()).ToList();

        var goodAppends = good.Select(s => Store.AppendAsync(Append(s, 0, 1))).ToList();
        var bad = Capture(() => Store.AppendAsync(Append(taken, 0, 1)));
        var moreGood = good.Select(s => Store.AppendAsync(Append(s, 1, 1))).ToList();

        await Task.WhenAll(goodAppends.Concat(moreGood));
        Assert.IsType<WrongExpectedVersionException>((await bad).Error);
        Assert.All(moreGood, t => Assert.Equal(2, t.Result.Version));
    }

    [Fact]
    public async Task Large_and_unicode_payloads_round_trip_exactly()
    {
        var stream = NewStream();
        var unicode = "Zürich ½ € 漢字 العربية 🚀👩🏽‍💻 \"quotes\" \\ \t\n tab and NUL: \u0000 end";
        var large = string.Concat(Enumerable.Repeat("0123456789abcdef€", 64 * 1024)); // about 1.1 MB
        var events = new List<EventData> { Event(1, unicode), Event(2, large), new("test.unicode-type.ünï.v1", "{\"s\":\"é\"}", "{}") };

        await Store.AppendAsync(new AppendRequest(stream, 0, events, Guid.NewGuid()));
        var read = await Store.ReadStreamAsync(stream, 1, 10);

        Assert.Equal(events.Select(e => (e.Type, Json(e.Data), Json(e.Metadata))), read.Select(e => (e.Type, Json(e.Data), Json(e.Metadata))));
        Assert.Equal(unicode, JsonDocument.Parse(read[0].Data).RootElement.GetProperty("payload").GetString());
        Assert.Equal(large, JsonDocument.Parse(read[1].Data).RootElement.GetProperty("payload").GetString());

        // Stores may keep JSON in their own layout; what must survive is the value.
        static string Json(string text) => JsonSerializer.Serialize(JsonDocument.Parse(text).RootElement);
    }

    [Fact]
    public async Task The_global_log_reads_forward_in_position_order_from_a_checkpoint()
    {
        var head = await HeadAsync();
        var a = NewStream();
        var b = NewStream();
        await Store.AppendAsync(Append(a, 0, 2));
        await Store.AppendAsync(Append(b, 0, 1));
        var last = await Store.AppendAsync(Append(a, 2, 1));

        await ReadableAsync(last.Position);
        var all = await ReadAllOfAsync(head, [a, b]);
        var afterFirst = await Store.ReadAllAsync(all[0].Position, 1);

        Assert.Equal([(a, 1L), (a, 2L), (b, 1L), (a, 3L)], all.Select(e => (e.StreamId, e.Version)));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.Second.Position > p.First.Position));
        Assert.Equal(all[1].Position, Assert.Single(afterFirst).Position);
    }

    [Fact]
    public async Task The_head_position_reaches_an_append_and_nothing_readable_lies_past_it()
    {
        var result = await Store.AppendAsync(Append(NewStream(), 0, 3));

        await ReadableAsync(result.Position);
        var head = await Store.GetHeadPositionAsync();

        Assert.True(head >= result.Position);
        Assert.DoesNotContain(await Store.ReadAllAsync(head, 10), e => e.Position <= result.Position);
    }

    [Fact]
    public async Task The_global_log_never_shows_an_event_past_a_position_an_open_transaction_may_still_fill()
    {
        var head = await HeadAsync();
        var slow = NewStream();
        var fast = NewStream();

        var open = await Fixture.BeginOpenAppendAsync(slow);
        Task<AppendResult> later;
        await using (open)
        {
            later = Store.AppendAsync(Append(fast, 0, 1));
            // The later append must not become readable ahead of the one still open, whether its writer waits for
            // the open one (one writer) or commits beside it (PostgreSQL).
            await Fixture.WaitForAppendBehindOpenOneAsync(later);
            var whileOpen = await ReadAllOfAsync(head, [slow, fast]);
            Assert.Empty(whileOpen);
        }

        var fastResult = await later.WaitAsync(TimeSpan.FromSeconds(10));
        await ReadableAsync(fastResult.Position);
        var afterCommit = await ReadAllOfAsync(head, [slow, fast]);
        Assert.Equal([slow, fast], afterCommit.Select(e => e.StreamId));
        Assert.True(afterCommit[1].Position > afterCommit[0].Position);
    }

    [Fact]
    public async Task An_unavailable_store_fails_with_a_clear_error_within_seconds()
    {
        var (store, cleanup) = await Fixture.CreateUnavailableStoreAsync();
        await using (cleanup)
        {
            var clock = Stopwatch.StartNew();
            var append = await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.AppendAsync(Append(NewStream(), 0, 1)).WaitAsync(TimeSpan.FromSeconds(20)));
            var appendTime = clock.Elapsed;
            clock.Restart();
            await Assert.ThrowsAsync<EventStoreUnavailableException>(() => store.ReadStreamAsync(NewStream(), 1, 10).WaitAsync(TimeSpan.FromSeconds(20)));

            Assert.True(appendTime < TimeSpan.FromSeconds(10), $"The append took {appendTime} to fail.");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The read took {clock.Elapsed} to fail.");
            Assert.False(string.IsNullOrWhiteSpace(append.Message));
        }
    }

    [Fact]
    public async Task Malformed_appends_are_refused_before_reaching_the_store()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new AppendRequest("", 0, [Event(1)], Guid.NewGuid())));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new AppendRequest(NewStream(), 0, [], Guid.NewGuid())));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(new AppendRequest(NewStream(), 0, [Event(1)], Guid.Empty)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.AppendAsync(new AppendRequest(NewStream(), -1, [Event(1)], Guid.NewGuid())));
    }

    private async Task<long> HeadAsync()
    {
        long head = 0;
        while (true)
        {
            var page = await Store.ReadAllAsync(head, 10_000);
            if (page.Count == 0)
            {
                return head;
            }

            head = page[^1].Position;
        }
    }

    /// <summary>
    /// Waits until a reader of the log can read <paramref name="position"/>: at once with one writer; on PostgreSQL
    /// once every transaction older than the append's has ended (another test's, on the shared server).
    /// </summary>
    private Task ReadableAsync(long position) =>
        Until.TrueAsync(async () => await Store.GetHeadPositionAsync() >= position, $"the log's head to reach position {position}");

    private async Task<List<RecordedEvent>> ReadAllOfAsync(long after, string[] streams)
    {
        var events = new List<RecordedEvent>();
        while (true)
        {
            var page = await Store.ReadAllAsync(after, 1000);
            if (page.Count == 0)
            {
                return events;
            }

            events.AddRange(page.Where(e => streams.Contains(e.StreamId)));
            after = page[^1].Position;
        }
    }

    private static async Task<(AppendResult? Result, Exception? Error)> Capture(Func<Task<AppendResult>> append)
    {
        try
        {
            return (await append(), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    [Fact]
    public async Task A_rejected_command_keeps_its_rejection_when_retried_after_the_stream_moved_on()
    {
        var stream = NewStream();
        var command = Guid.NewGuid();
        await Store.AppendAsync(Append(stream, 0, 1));

        var rejected = await Store.AppendAsync(AppendRequest.Rejection(stream, 1, command, "fp-r", "{\"code\":\"no\"}"));
        await Store.AppendAsync(Append(stream, 1, 2));
        // Retried as an append that would now pass, it finds the rejection instead and writes nothing.
        var retry = await Store.AppendAsync(Append(stream, 3, 1, command, "fp-r"));
        var found = await Store.FindCommandAsync(stream, command);

        Assert.Equal((1L, 0L, false, "{\"code\":\"no\"}"), (rejected.Version, rejected.Position, rejected.IsDuplicate, rejected.RejectionOutcome));
        Assert.Equal((1L, true, "fp-r", "{\"code\":\"no\"}"), (retry.Version, retry.IsDuplicate, retry.CommandFingerprint, retry.RejectionOutcome));
        Assert.Equal((1L, "{\"code\":\"no\"}"), (found!.Version, found.RejectionOutcome));
        Assert.Equal(3, (await Store.ReadStreamAsync(stream, 1, 100)).Count);
    }

    [Fact]
    public async Task An_accepted_command_retried_as_a_rejection_stays_accepted()
    {
        var stream = NewStream();
        var command = Guid.NewGuid();
        var accepted = await Store.AppendAsync(Append(stream, 0, 1, command, "fp-a"));

        var retry = await Store.AppendAsync(AppendRequest.Rejection(stream, 1, command, "fp-a", "{}"));

        Assert.True(retry.IsDuplicate);
        Assert.Null(retry.RejectionOutcome);
        Assert.Equal((accepted.Version, accepted.Position), (retry.Version, retry.Position));
    }

    [Fact]
    public async Task A_rejection_decided_on_an_old_version_is_refused_like_an_append()
    {
        var stream = NewStream();
        var command = Guid.NewGuid();
        await Store.AppendAsync(Append(stream, 0, 2));

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            Store.AppendAsync(AppendRequest.Rejection(stream, 1, command, null, "{}")));

        Assert.Equal(2, conflict.ActualVersion);
        Assert.Null(await Store.FindCommandAsync(stream, command));
    }

    [Fact]
    public async Task Rejections_past_their_retention_are_forgotten_and_the_command_is_decided_again()
    {
        var stream = NewStream();
        var kept = Guid.NewGuid();
        var expired = Guid.NewGuid();
        await Store.AppendAsync(AppendRequest.Rejection(stream, 0, expired, null, "{}"));

        var purged = await ((ICommandOutcomeRetention)Store).PurgeRejectionsAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        await Store.AppendAsync(AppendRequest.Rejection(stream, 0, kept, null, "{}"));
        await ((ICommandOutcomeRetention)Store).PurgeRejectionsAsync(DateTimeOffset.UtcNow.AddMinutes(-1));
        var decidedAgain = await Store.AppendAsync(Append(stream, 0, 1, expired));

        Assert.True(purged >= 1);
        Assert.False(decidedAgain.IsDuplicate);
        Assert.Null(decidedAgain.RejectionOutcome);
        Assert.NotNull((await Store.FindCommandAsync(stream, kept))?.RejectionOutcome);
    }

    [Fact]
    public async Task A_checkpointing_reader_of_the_log_misses_nothing_while_many_writers_append_concurrently()
    {
        var head = await HeadAsync();
        using var stop = new CancellationTokenSource();
        var streams = Enumerable.Range(0, 64).Select(_ => NewStream()).ToArray();
        var writers = streams.Select(async stream =>
        {
            long version = 0;
            long position = 0;
            while (!stop.IsCancellationRequested && version < 150)
            {
                var count = 1 + (int)(version % 3);
                var appended = await Store.AppendAsync(Append(stream, version, count));
                (version, position) = (appended.Version, appended.Position);
            }

            return (Stream: stream, Version: version, Position: position);
        }).ToList();

        // Read, checkpoint the last position seen, read on from there: what a log projection does.
        var seen = new List<RecordedEvent>();
        var checkpoint = head;
        var reading = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
            {
                var page = await Store.ReadAllAsync(checkpoint, 20);
                seen.AddRange(page);
                checkpoint = page.Count > 0 ? page[^1].Position : checkpoint;
            }
        });
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        var written = await Task.WhenAll(writers);
        await reading;
        // An empty page means "nothing readable yet", not "nothing more": on PostgreSQL a transaction still running
        // anywhere on the server (another test's) holds readers below it. The last appends are all readable once the
        // head has passed the highest of their positions.
        await ReadableAsync(written.Max(w => w.Position));
        for (IReadOnlyList<RecordedEvent> page; (page = await Store.ReadAllAsync(checkpoint, 500)).Count > 0; checkpoint = page[^1].Position)
        {
            seen.AddRange(page);
        }

        var mine = seen.Where(e => streams.Contains(e.StreamId)).ToList();
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Position > p.First.Position), "The reader saw positions out of order.");
        foreach (var (stream, version, _) in written)
        {
            Assert.Equal(Enumerable.Range(1, (int)version).Select(v => (long)v), mine.Where(e => e.StreamId == stream).Select(e => e.Version));
        }
    }
}
