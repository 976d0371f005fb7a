using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// The limits every request passes, in order: the unauthenticated bucket per address, the command or read bucket and
/// the creation bucket per caller, then the waiting-read places per caller and in all. A request one of them refuses
/// is refused at once, the refusal named on its lease; whatever the limits before it granted is given back (a token
/// spent stays spent, a place is freed).
/// </summary>
internal sealed class CallerLimiter : PartitionedRateLimiter<HttpContext>
{
    private static readonly object RefusalKey = new();

    private readonly (LimitRefusal Refusal, PartitionedRateLimiter<HttpContext> Limiter)[] _links;

    private CallerLimiter((LimitRefusal, PartitionedRateLimiter<HttpContext>)[] links) => _links = links;

    /// <summary>The limits <paramref name="options"/> turns on, or null when it turns them all off.</summary>
    public static CallerLimiter? Create(CqrsLimitsOptions options)
    {
        var links = new List<(LimitRefusal, PartitionedRateLimiter<HttpContext>)>();
        AddBucket(links, nameof(options.Unauthenticated), options.Unauthenticated, http => CallerPartition.IsAuthenticated(http) ? null : CallerPartition.AddressKeyOf(http));
        AddBucket(links, nameof(options.Commands), options.Commands, http => IsRead(http) ? null : CallerPartition.KeyOf(http));
        AddBucket(links, nameof(options.Reads), options.Reads, http => IsRead(http) ? CallerPartition.KeyOf(http) : null);
        AddBucket(links, nameof(options.Creations), options.Creations, http => http.GetEndpoint()?.Metadata.GetMetadata<CreationMetadata>() is null ? null : CallerPartition.KeyOf(http));

        var waits = options.WaitingReads;
        if (waits.Enabled)
        {
            var retryAfter = TimeSpan.FromSeconds(waits.RetryAfterSeconds);
            links.Add((
                new LimitRefusal($"{nameof(options.WaitingReads)}:{nameof(waits.PerCaller)}", StatusCodes.Status429TooManyRequests, LimitRefusal.WaitingReadsPerCaller, "Too many reads waiting for a version at once.", retryAfter),
                Places(http => IsWaitingRead(http) ? CallerPartition.KeyOf(http) : null, waits.PerCaller)));
            links.Add((
                new LimitRefusal($"{nameof(options.WaitingReads)}:{nameof(waits.Total)}", StatusCodes.Status503ServiceUnavailable, LimitRefusal.WaitingReadsFull, "This front end has as many reads waiting as it takes.", retryAfter),
                Places(http => IsWaitingRead(http) ? "all" : null, waits.Total)));
        }

        return links.Count == 0 ? null : new CallerLimiter([.. links]);
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        var granted = new List<RateLimitLease>(_links.Length);
        foreach (var (refusal, limiter) in _links)
        {
            var lease = limiter.AttemptAcquire(resource, permitCount);
            if (!lease.IsAcquired)
            {
                GrantedLeases.Release(granted);
                var refused = new RefusedLease(refusal, lease);
                resource.Items[RefusalKey] = refused;
                return refused;
            }

            granted.Add(lease);
        }

        return new GrantedLeases(granted);
    }

    /// <summary>
    /// After a refusal the rate-limiting middleware asks again, willing to wait. No limit here queues, so the answer is
    /// the refusal already given: asking the limits again would take a second token from those that granted one.
    /// </summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (resource.Items.TryGetValue(RefusalKey, out var refused) && refused is RefusedLease lease)
        {
            resource.Items.Remove(RefusalKey);
            return ValueTask.FromResult<RateLimitLease>(lease);
        }

        return ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (_, limiter) in _links)
            {
                limiter.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    internal static bool IsRead(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method);

    /// <summary>
    /// A read that may wait: its endpoint takes a wait, and it asks for a version or position above 0 without
    /// <c>waitMs=0</c> (or, on a read that waits for its item to end, for a <c>waitMs</c> above 0). A malformed value
    /// counts as asking: the endpoint refuses it at once anyway.
    /// </summary>
    internal static bool IsWaitingRead(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<ReadWaitMetadata>() is not { } read)
        {
            return false;
        }

        var query = http.Request.Query;
        return read.WaitsWithoutMinimum
            ? Asks(query["waitMs"])
            : (Asks(query["minVersion"]) || Asks(query["minPosition"])) && !IsZero(query["waitMs"]);
    }

    private static bool Asks(StringValues value) =>
        !StringValues.IsNullOrEmpty(value) && !IsZero(value);

    private static bool IsZero(StringValues value) =>
        value.Count == 1 && long.TryParse(value[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number == 0;

    private static void AddBucket(List<(LimitRefusal, PartitionedRateLimiter<HttpContext>)> links, string name, TokenBucketLimit bucket, Func<HttpContext, string?> partition)
    {
        if (!bucket.Enabled)
        {
            return;
        }

        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.TokenLimit,
            TokensPerPeriod = bucket.TokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(bucket.PeriodSeconds),
            QueueLimit = 0,
        };
        links.Add((LimitRefusal.Rate(name), PartitionedRateLimiter.Create<HttpContext, string>(http =>
            partition(http) is { } key ? RateLimitPartition.GetTokenBucketLimiter(key, _ => options) : RateLimitPartition.GetNoLimiter(""))));
    }

    private static PartitionedRateLimiter<HttpContext> Places(Func<HttpContext, string?> partition, int places)
    {
        var options = new ConcurrencyLimiterOptions { PermitLimit = places, QueueLimit = 0 };
        return PartitionedRateLimiter.Create<HttpContext, string>(http =>
            partition(http) is { } key ? RateLimitPartition.GetConcurrencyLimiter(key, _ => options) : RateLimitPartition.GetNoLimiter(""));
    }
}
