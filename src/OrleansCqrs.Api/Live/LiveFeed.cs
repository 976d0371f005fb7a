using System.Collections.Concurrent;
using System.Threading.Channels;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Live;
using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// Follows the global log for this front end while anyone listens, and hands every changed account summary to the
/// listeners whose filter it matches. One follower per process, however many listeners: the log is read once.
/// </summary>
public sealed partial class LiveFeed(IGrainFactory grains, ILogger<LiveFeed> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<LiveSubscription, byte> _subscriptions = new();
    private readonly SemaphoreSlim _start = new(1, 1);
    private long _position = -1;

    /// <summary>Starts listening; changes committed after this returns are delivered.</summary>
    public async Task<LiveSubscription> SubscribeAsync(string? accountId, string? customerId, CancellationToken cancellationToken)
    {
        await _start.WaitAsync(cancellationToken);
        try
        {
            if (Interlocked.Read(ref _position) < 0 || _subscriptions.IsEmpty)
            {
                // Nobody was listening: start from the head, not from history.
                Interlocked.Exchange(ref _position, await grains.GetGrain<ILogTail>(0).Head());
            }

            var subscription = new LiveSubscription(accountId, customerId, s => _subscriptions.TryRemove(s, out _));
            _subscriptions.TryAdd(subscription, 0);
            return subscription;
        }
        finally
        {
            _start.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_subscriptions.IsEmpty)
            {
                continue;
            }

            try
            {
                await PollAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(ex);
            }
        }
    }

    private async Task PollAsync()
    {
        var entries = await grains.GetGrain<ILogTail>(0).ReadAfter(Interlocked.Read(ref _position), 1000);
        if (entries.Count == 0)
        {
            return;
        }

        // The last change of each account in this batch is enough: a summary is a whole state, not a delta.
        var changed = entries
            .Select(e => (Entry: e, AccountId: StreamNames.KeyOf(AccountGrain.StreamName, e.StreamId)))
            .Where(x => x.AccountId is not null)
            .GroupBy(x => x.AccountId!)
            .Select(g => (AccountId: g.Key, Position: g.Max(x => x.Entry.Position)));
        foreach (var (accountId, position) in changed)
        {
            var read = await grains.GetGrain<IAccountSummaryProjection>(accountId).GetAtPosition(position);
            if (read.View is { } summary)
            {
                foreach (var subscription in _subscriptions.Keys)
                {
                    subscription.Offer(summary);
                }
            }
        }

        Interlocked.Exchange(ref _position, entries[^1].Position);
    }

    public override void Dispose()
    {
        _start.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the log for live updates failed; retrying")]
    private partial void LogPollFailed(Exception exception);
}

/// <summary>One listener: a bounded queue of changes that match its filter. A slow listener loses the oldest.</summary>
public sealed class LiveSubscription(string? accountId, string? customerId, Action<LiveSubscription> unsubscribe) : IDisposable
{
    private readonly Channel<AccountSummary> _changes = Channel.CreateBounded<AccountSummary>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<AccountSummary> Changes => _changes.Reader;

    internal void Offer(AccountSummary summary)
    {
        if ((accountId is null || accountId == summary.AccountId) && (customerId is null || customerId == summary.CustomerId))
        {
            _changes.Writer.TryWrite(summary);
        }
    }

    public void Dispose()
    {
        unsubscribe(this);
        _changes.Writer.TryComplete();
    }
}
