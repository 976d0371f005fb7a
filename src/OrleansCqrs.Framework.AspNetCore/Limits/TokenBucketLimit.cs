using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// A token bucket per caller: up to <see cref="TokenLimit"/> requests at once, refilled by
/// <see cref="TokensPerPeriod"/> every <see cref="PeriodSeconds"/>. A request finding the bucket empty is refused at
/// once (429 with Retry-After), never queued: a queued request would hold its connection.
/// </summary>
public sealed class TokenBucketLimit
{
    public bool Enabled { get; set; } = true;

    /// <summary>The burst: requests a caller with a full bucket may send at once.</summary>
    [Range(1, int.MaxValue)]
    public int TokenLimit { get; set; } = 1;

    /// <summary>Requests added back each period: the sustained rate is TokensPerPeriod / PeriodSeconds.</summary>
    [Range(1, int.MaxValue)]
    public int TokensPerPeriod { get; set; } = 1;

    [Range(0.01, 86_400)]
    public double PeriodSeconds { get; set; } = 1;
}
