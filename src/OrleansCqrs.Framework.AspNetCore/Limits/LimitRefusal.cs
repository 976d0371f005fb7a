using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// Why a limit refused a request, as the caller is told: <paramref name="Status"/> (429 when the caller itself is
/// over its share, 503 when the front end is full for everyone), a stable <paramref name="Code"/>, the name of the
/// <paramref name="Limit"/> (its key under <c>OrleansCqrs:Limits</c>), and the Retry-After to give when the limiter
/// cannot tell (a concurrency limit: a place frees up when some request ends).
/// </summary>
public sealed record LimitRefusal(string Limit, int Status, string Code, string Title, TimeSpan RetryAfter)
{
    public const string RateLimited = "rate-limited";
    public const string WaitingReadsPerCaller = "waiting-reads-per-caller";
    public const string WaitingReadsFull = "waiting-reads-full";

    /// <summary>The lease metadata a refused lease carries this under.</summary>
    public static MetadataName<LimitRefusal> MetadataName { get; } = System.Threading.RateLimiting.MetadataName.Create<LimitRefusal>("orleanscqrs.limit-refusal");

    internal static LimitRefusal Rate(string limit) =>
        new(limit, StatusCodes.Status429TooManyRequests, RateLimited, "Too many requests.", TimeSpan.FromSeconds(1));
}
