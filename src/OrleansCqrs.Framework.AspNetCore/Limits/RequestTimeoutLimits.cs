using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// How long a request may run before the front end stops waiting and answers 503 <c>request-timeout</c> (a command
/// may or may not have been applied: a retry with its Idempotency-Key tells). Live updates (SSE) have no timeout.
/// </summary>
public sealed class RequestTimeoutLimits
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Commands and reads that do not wait for a version. Above the 20 s the front end keeps retrying while the cluster
    /// fails over (<see cref="GrainRetry.Budget"/>), so a failover still ends in an answer.
    /// </summary>
    [Range(1, 3_600)]
    public int RequestSeconds { get; set; } = 30;

    /// <summary>
    /// Reads that take <c>waitMs</c>: the longest wait (10 s) plus the failover retries (20 s) and room to spare.
    /// </summary>
    [Range(1, 3_600)]
    public int WaitingReadSeconds { get; set; } = 45;
}
