using Microsoft.Extensions.Options;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// The <c>OrleansCqrs:Limits</c> section: what one caller may ask of a front end, and what the front end takes at all.
/// The defaults are far above what a person or an application acting for one needs (docs/limits.md gives each
/// default and why); a load generator acting as one caller from one address raises them.
/// </summary>
public sealed class CqrsLimitsOptions
{
    public const string SectionName = "OrleansCqrs:Limits";

    /// <summary>Every request without an authenticated principal, per address: bounds what a caller can do before it proves who it is.</summary>
    [ValidateObjectMembers]
    public TokenBucketLimit Unauthenticated { get; set; } = new() { TokenLimit = 2_000, TokensPerPeriod = 1_000 };

    /// <summary>Requests that change something (any method but GET, HEAD and OPTIONS), per caller.</summary>
    [ValidateObjectMembers]
    public TokenBucketLimit Commands { get; set; } = new() { TokenLimit = 2_000, TokensPerPeriod = 1_000 };

    /// <summary>GET and HEAD requests, per caller.</summary>
    [ValidateObjectMembers]
    public TokenBucketLimit Reads { get; set; } = new() { TokenLimit = 4_000, TokensPerPeriod = 2_000 };

    /// <summary>
    /// Commands that create an aggregate (an account), per caller, on top of <see cref="Commands"/>: each one adds
    /// state that lives for ever (a stream, a ledger entry), so a caller opening thousands is refused long before it
    /// fills the store.
    /// </summary>
    [ValidateObjectMembers]
    public TokenBucketLimit Creations { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 10 };

    /// <summary>Reads that wait for a version or position (minVersion/minPosition with a wait), per caller and in all.</summary>
    [ValidateObjectMembers]
    public WaitingReadLimits WaitingReads { get; set; } = new();

    /// <summary>How long a request may take before it is answered 503 <c>request-timeout</c>.</summary>
    [ValidateObjectMembers]
    public RequestTimeoutLimits Timeouts { get; set; } = new();

    /// <summary>The HTTP server's own limits: connections, body and header sizes.</summary>
    [ValidateObjectMembers]
    public KestrelLimits Kestrel { get; set; } = new();
}
