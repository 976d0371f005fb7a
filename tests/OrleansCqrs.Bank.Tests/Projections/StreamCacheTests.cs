using System.Diagnostics.Metrics;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Projections;

/// <summary>
/// The committed events' stream queues keep seconds of events in their caches (<see cref="SiloSetup.StreamCacheMaxAge"/>),
/// not Orleans' default half hour, which under steady load holds tens of millions of events in memory.
/// </summary>
public sealed class StreamCacheTests(ClusterFixture cluster)
{
    /// <summary>Orleans' count of events its stream queue caches purged, per queue cache (process-wide).</summary>
    private const string PurgedInstrument = "orleans-streams-queue-cache-messages-purged";

    [Fact]
    public async Task Delivered_events_leave_the_stream_cache_within_seconds_while_events_keep_coming()
    {
        using var purged = new PurgedCount();
        var account = cluster.Grains.GetGrain<IAccountGrain>($"cache-{Guid.NewGuid():N}");
        Assert.True((await account.Execute(new OpenAccount("cust-cache", "EUR"), CommandContext.New())).IsAccepted);
        var before = purged.Read();

        // Purging needs a newer event to age the old ones against: keep depositing, one a 100 ms, until the caches
        // let go of what is older than their age limit. With Orleans' defaults nothing is purged for 30 minutes.
        var deadline = SiloSetup.StreamCacheMinTime + SiloSetup.StreamCacheMaxAge + TimeSpan.FromSeconds(20);
        var after = await Eventually.ReturnsAsync(
            async () =>
            {
                Assert.True((await account.Execute(new DepositMoney(1m), CommandContext.New())).IsAccepted);
                await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
                return purged.Read();
            },
            count => count > before,
            deadline,
            $"the stream caches purging events older than {SiloSetup.StreamCacheMaxAge.TotalSeconds} s");
        Assert.True(after > before);
    }

    /// <summary>The sum over every queue cache of the last value each reported.</summary>
    private sealed class PurgedCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);

        public PurgedCount()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == PurgedInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                // One cumulative count per cache: keyed by its meter (one per silo) and its tags (queue and pool).
                var key = $"{instrument.Meter.GetHashCode()}|{string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}"))}";
                lock (_latest)
                {
                    _latest[key] = value;
                }
            });
            _listener.Start();
        }

        public long Read()
        {
            _listener.RecordObservableInstruments();
            lock (_latest)
            {
                return _latest.Values.Sum();
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
