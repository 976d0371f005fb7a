using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Bank.Accounts.Summary;
using OrleansCqrs.Bank.Customers;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Live;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Live;

/// <summary>
/// Follows the global log for this front end while anyone listens, folds the account events into the summaries of
/// the accounts some listener can match, and hands each changed summary, serialized once, to the listeners it
/// matches. One follower per process, however many listeners: the log is read once, pages back to back while behind.
/// An account's summary is read from its projection only when it is not cached (once, then folded from events).
/// Transfer status changes (requested, completed, failed) come from the same read of the log, in commit order with the
/// summaries, to the listeners <see cref="LiveListeners.MatchTransfer"/> allows.
/// </summary>
public sealed partial class LiveFeed(
    IGrainFactory grains,
    LiveFeedSettings settings,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<LiveFeed> logger) : BackgroundService
{
    private const int ReadParallelism = 16;
    private static readonly TimeSpan DirectoryWait = TimeSpan.FromSeconds(5);
    private static readonly byte[] FramePrefix = "event: account\ndata: "u8.ToArray();
    private static readonly byte[] TransferFramePrefix = "event: transfer\ndata: "u8.ToArray();
    private static readonly string[] Namespaces = [AccountGrain.StreamName, TransferGrain.StreamName];
    private static readonly byte[] FrameSuffix = "\n\n"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly LiveListeners _listeners = new();

    // Live connections per caller, admitting ones included; a caller with none has no entry.
    private readonly Dictionary<string, int> _openByCaller = new(StringComparer.Ordinal);
    private readonly SummaryCache _cache = new(settings.CachedAccounts);
    private readonly LiveTransfers _transfers = new();
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private int _admitting;
    private long _position;

    // Bumped whenever the position jumps to the head (a first listener after a quiet spell): a page read before the
    // jump is dropped instead of moving the position back.
    private long _epoch;
    private long _summaryReads;

    // Completed when a listener is added. While nobody listens the feed waits on it rather than waking every poll
    // interval for nothing: an idle app makes no timer fire here (each wake-up also set thread-pool workers spinning).
    private TaskCompletionSource _listened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _wakes;
    private volatile bool _parked;

    private ILogTail Tail => grains.GetGrain<ILogTail>(0);

    public int ListenerCount
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Count;
            }
        }
    }

    /// <summary>Summaries read from their projection because they were not cached (each read once, then folded).</summary>
    public long SummaryReads => Interlocked.Read(ref _summaryReads);

    /// <summary>How often the feed has woken to look at the log (or to find nobody listening).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Whether the feed is asleep until someone listens.</summary>
    public bool IsParked => _parked;

    /// <summary>
    /// Starts listening for <paramref name="caller"/> (<c>CallerPartition.KeyOf</c>); changes committed after this returns are
    /// delivered. A caller already holding its share of connections is refused before the front end's cap is looked at:
    /// the refusal then tells it what to do (close one).
    /// </summary>
    public async Task<LiveAdmission> SubscribeAsync(string caller, string? accountId, string? customerId, string? party, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var open = _openByCaller.GetValueOrDefault(caller);
            if (open >= settings.MaxListenersPerCaller)
            {
                return new LiveAdmission(null, LiveRefusal.CallerListenersFull);
            }

            if (_listeners.Count + _admitting >= settings.MaxListeners)
            {
                return new LiveAdmission(null, LiveRefusal.ListenersFull);
            }

            _openByCaller[caller] = open + 1;
            _admitting++;
        }

        var subscription = new LiveSubscription(caller, accountId, customerId, party, Unsubscribe);
        long position;
        try
        {
            position = await RegisterAsync(subscription, cancellationToken);
        }
        catch
        {
            lock (_gate)
            {
                _admitting--;
                Release(caller);
            }

            throw;
        }

        if (accountId is null && customerId is not null)
        {
            try
            {
                // The ledger knows the customer's accounts up to this position; AccountOpened events after it, which
                // the feed sees from now on, add the rest.
                var directory = await GrainRetry.QueryAsync(() => grains.GetGrain<ICustomerQueries>(0).GetAccountIds(customerId, position, DirectoryWait), DirectoryWait, cancellationToken);
                if (directory.Stale)
                {
                    subscription.Dispose();
                    return new LiveAdmission(null, LiveRefusal.DirectoryBehind);
                }

                lock (_gate)
                {
                    _listeners.AddCustomerAccounts(customerId, directory.View!);
                }
            }
            catch
            {
                subscription.Dispose();
                throw;
            }
        }

        return new LiveAdmission(subscription, null);
    }

    /// <summary>Adds the listener; the first after a quiet spell starts the feed at the head (a feed, not a replay).</summary>
    private async Task<long> RegisterAsync(LiveSubscription subscription, CancellationToken cancellationToken)
    {
        long? head = null;
        while (true)
        {
            lock (_gate)
            {
                if (_listeners.Count > 0 || head is not null)
                {
                    if (_listeners.Count == 0)
                    {
                        // Nobody listened, so nothing was followed: the cache has missed events.
                        _position = head!.Value;
                        _epoch++;
                        _cache.Clear();
                        _transfers.Clear();
                    }

                    _admitting--;
                    _listeners.Add(subscription);
                    _listened.TrySetResult();
                    return _position;
                }
            }

            head = await GrainRetry.QueryAsync(() => Tail.Head(), TimeSpan.Zero, cancellationToken);
        }
    }

    private void Unsubscribe(LiveSubscription subscription)
    {
        lock (_gate)
        {
            if (_listeners.Remove(subscription))
            {
                Release(subscription.Caller);
            }

            if (_listeners.Count == 0)
            {
                _cache.Clear();
                _transfers.Clear();
            }
        }
    }

    private void Release(string caller)
    {
        var open = _openByCaller[caller] - 1;
        if (open == 0)
        {
            _openByCaller.Remove(caller);
        }
        else
        {
            _openByCaller[caller] = open;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(settings.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _wakes);
            long position, epoch;
            Task? listened = null;
            lock (_gate)
            {
                (position, epoch) = (_position, _epoch);
                if (_listeners.Count == 0)
                {
                    // Added under the same lock as the listener count, so a listener arriving now is never missed.
                    if (_listened.Task.IsCompleted)
                    {
                        _listened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }

                    listened = _listened.Task;
                }
            }

            if (listened is not null)
            {
                _parked = true;
                await listened.WaitAsync(stoppingToken);
                _parked = false;
                continue;
            }

            try
            {
                var page = await Tail.ReadNamespaces(Namespaces, position, settings.PageSize);
                await ApplyAsync(page, epoch);
                if (page.EntriesRead >= settings.PageSize)
                {
                    // Behind: read on at once. Only a feed that has caught up waits.
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(ex);
            }

            await Task.Delay(poll, stoppingToken);
        }
    }

    private async Task ApplyAsync(LogPage page, long epoch)
    {
        var accountEvents = page.Events.Where(e => StreamNames.TryKeyOf(AccountGrain.StreamName, e.StreamId, out _)).ToList();
        var transferEvents = page.Events.Where(e => StreamNames.TryKeyOf(TransferGrain.StreamName, e.StreamId, out _)).ToList();
        Dictionary<string, long> reads;
        HashSet<string> unknownTransfers;
        lock (_gate)
        {
            if (_epoch != epoch)
            {
                return;
            }

            reads = PlanReads(accountEvents);
            unknownTransfers = _transfers.Unknown(transferEvents);
        }

        var fetched = reads.Count == 0 ? null : await ReadSummariesAsync(reads);
        var fetchedTransfers = unknownTransfers.Count == 0 ? [] : await ReadTransfersAsync(unknownTransfers);
        lock (_gate)
        {
            if (_epoch != epoch)
            {
                return;
            }

            var changed = Fold(accountEvents, reads, fetched);
            var transfers = _transfers.Fold(transferEvents, fetchedTransfers);
            _position = page.LastPosition;
            Publish(changed, transfers);
        }
    }

    /// <summary>Transfers that end without the feed having seen them requested (it started later): read once, when they end.</summary>
    private async Task<ConcurrentDictionary<string, TransferView>> ReadTransfersAsync(HashSet<string> transferIds)
    {
        var fetched = new ConcurrentDictionary<string, TransferView>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(transferIds, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism }, async (transferId, _) =>
        {
            try
            {
                if (await grains.GetGrain<ITransferGrain>(transferId).Get(TimeSpan.Zero) is { } view)
                {
                    fetched[transferId] = view;
                }
            }
            catch (Exception ex)
            {
                // Its ending is not sent; the transfer itself is unaffected.
                LogTransferReadFailed(ex, transferId);
            }
        });
        return fetched;
    }

    /// <summary>
    /// The wanted accounts whose first event in the page cannot be folded into what is cached, each with the position
    /// of its last event in the page (read at that position, its summary already reflects the whole page).
    /// </summary>
    private Dictionary<string, long> PlanReads(IReadOnlyList<EventEnvelope> events)
    {
        var reached = new Dictionary<string, long>(StringComparer.Ordinal);
        var reads = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var envelope in events)
        {
            var accountId = AccountIdOf(envelope);
            if (reads.ContainsKey(accountId))
            {
                reads[accountId] = envelope.Position;
            }
            else if (_listeners.Wants(accountId, envelope.Event))
            {
                long? known = reached.TryGetValue(accountId, out var version) ? version : _cache.Get(accountId)?.Version;
                if (known >= envelope.Version - 1 || (known is null && envelope.Event is AccountOpened))
                {
                    reached[accountId] = Math.Max(known ?? 0, envelope.Version);
                }
                else
                {
                    reads[accountId] = envelope.Position;
                }
            }
        }

        return reads;
    }

    private async Task<ConcurrentDictionary<string, AccountSummary>> ReadSummariesAsync(Dictionary<string, long> reads)
    {
        var fetched = new ConcurrentDictionary<string, AccountSummary>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(reads, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism }, async (read, _) =>
        {
            Interlocked.Increment(ref _summaryReads);
            try
            {
                if ((await grains.GetGrain<IAccountSummaryProjection>(read.Key).GetAtPosition(read.Value)).View is { } summary)
                {
                    fetched[read.Key] = summary;
                }
            }
            catch (Exception ex)
            {
                // Left uncached: its next change asks again.
                LogReadFailed(ex, read.Key);
            }
        });
        return fetched;
    }

    /// <summary>
    /// The page folded into the cache: the last summary of each wanted account that changed, with the position of its
    /// last event in the page (read summaries reflect the whole page).
    /// </summary>
    private Dictionary<string, (AccountSummary Summary, long Position)> Fold(
        IReadOnlyList<EventEnvelope> events, Dictionary<string, long> reads, ConcurrentDictionary<string, AccountSummary>? fetched)
    {
        var changed = new Dictionary<string, (AccountSummary, long)>(StringComparer.Ordinal);
        foreach (var (accountId, summary) in fetched ?? [])
        {
            if (_listeners.Wants(accountId))
            {
                if (_cache.Get(accountId) is not { } cached || cached.Version < summary.Version)
                {
                    _cache.Put(summary);
                }

                changed[accountId] = (_cache.Get(accountId)!, reads[accountId]);
            }
        }

        foreach (var envelope in events)
        {
            var accountId = AccountIdOf(envelope);
            if (!_listeners.Wants(accountId, envelope.Event))
            {
                // Its events go unfolded from here on, so what is cached would go stale.
                _cache.Remove(accountId);
                continue;
            }

            var current = _cache.Get(accountId);
            if (current is null ? envelope.Event is not AccountOpened : current.Version >= envelope.Version)
            {
                // Not cached (a read that failed: the next change asks again), or already reflected.
                continue;
            }

            if (current is not null && current.Version != envelope.Version - 1)
            {
                _cache.Remove(accountId);
                continue;
            }

            try
            {
                var next = AccountSummary.When(current, accountId, envelope.Version, envelope.Event, envelope.Metadata.Timestamp)!;
                _cache.Put(next);
                changed[accountId] = (next, envelope.Position);
            }
            catch (InvalidOperationException ex)
            {
                _cache.Remove(accountId);
                LogFoldFailed(ex, accountId);
            }
        }

        return changed;
    }

    /// <summary>
    /// Each change serialized once, the same bytes handed to every listener it matches; in commit order, so that a
    /// listener sees accounts change in the order they did.
    /// </summary>
    private void Publish(
        Dictionary<string, (AccountSummary Summary, long Position)> changed, List<(long Position, TransferUpdate Update, string? Requester)> transfers)
    {
        var targets = new List<LiveSubscription>();
        var summaries = changed.Values.Select(change => (change.Position, Summary: (AccountSummary?)change.Summary, Transfer: ((TransferUpdate, string?)?)null));
        var transferChanges = transfers.Select(change => (change.Position, Summary: (AccountSummary?)null, Transfer: ((TransferUpdate, string?)?)(change.Update, change.Requester)));
        foreach (var (_, summary, transfer) in summaries.Concat(transferChanges).OrderBy(change => change.Position))
        {
            targets.Clear();
            if (summary is not null)
            {
                _listeners.Match(summary, targets);
            }
            else
            {
                _listeners.MatchTransfer(transfer!.Value.Item1, transfer.Value.Item2, targets);
            }

            if (targets.Count == 0)
            {
                continue;
            }

            var frame = summary is not null ? Frame(FramePrefix, summary) : Frame(TransferFramePrefix, transfer!.Value.Item1);
            foreach (var target in targets)
            {
                target.Offer(frame);
            }
        }
    }

    private byte[] Frame<T>(byte[] prefix, T change)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(change, _json);
        var frame = new byte[prefix.Length + data.Length + FrameSuffix.Length];
        prefix.CopyTo(frame, 0);
        data.CopyTo(frame, prefix.Length);
        FrameSuffix.CopyTo(frame, prefix.Length + data.Length);
        return frame;
    }

    private static string AccountIdOf(EventEnvelope envelope) => StreamNames.KeyOf(AccountGrain.StreamName, envelope.StreamId)!;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the log for live updates failed; retrying")]
    private partial void LogPollFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the summary of account {AccountId} for live updates failed; its next change reads it again")]
    private partial void LogReadFailed(Exception exception, string accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading transfer {TransferId} for live updates failed; its ending is not sent")]
    private partial void LogTransferReadFailed(Exception exception, string transferId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An event of account {AccountId} does not fold into its cached summary; it is read again at its next change")]
    private partial void LogFoldFailed(Exception exception, string accountId);
}
