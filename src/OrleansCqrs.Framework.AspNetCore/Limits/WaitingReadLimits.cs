using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// Reads that may wait for a version or a position (<c>minVersion</c>/<c>minPosition</c> above 0 and a <c>waitMs</c>
/// other than 0): each holds a connection and a waiter in the cluster for up to its wait. Past
/// <see cref="PerCaller"/> a caller is refused with 429; past <see cref="Total"/> everyone is, with 503.
/// </summary>
public sealed class WaitingReadLimits
{
    public bool Enabled { get; set; } = true;

    [Range(1, int.MaxValue)]
    public int PerCaller { get; set; } = 16;

    [Range(1, int.MaxValue)]
    public int Total { get; set; } = 1_000;

    /// <summary>The Retry-After of a refusal: a wait lasts at most 10 s, most far less.</summary>
    [Range(1, 3_600)]
    public int RetryAfterSeconds { get; set; } = 1;
}
