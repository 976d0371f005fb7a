using System.Diagnostics;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Rides out silo failover. Until the cluster has declared a crashed silo dead and its grains live again elsewhere,
/// a call to one of them is rejected, or its reply never comes. Both are safe to send again: a command carries its
/// command id, and the aggregate answers a repeated id with its first outcome, so it cannot apply twice; a query
/// changes nothing. The front end retries such failures for a while, and the caller sees a slower answer instead of
/// an error.
/// </summary>
public static class GrainRetry
{
    /// <summary>
    /// How long a call keeps being sent again: longer than failure detection (docs/cluster.md). A call already sent
    /// when the budget runs out still gets its own response timeout.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long a query may take beyond the time it was asked to wait, before it is sent again.</summary>
    public static readonly TimeSpan QueryAllowance = TimeSpan.FromSeconds(3);

    /// <summary>A command: its own response timeout (the grain interface's) bounds each attempt.</summary>
    public static Task<T> SendAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken) =>
        SendAsync(send, Timeout.InfiniteTimeSpan, Budget, cancellationToken);

    /// <summary>
    /// A query that may wait up to <paramref name="wait"/> for a version: an attempt still unanswered
    /// <see cref="QueryAllowance"/> after that is abandoned and sent again (a query changes nothing).
    /// </summary>
    public static Task<T> QueryAsync<T>(Func<Task<T>> send, TimeSpan wait, CancellationToken cancellationToken) =>
        SendAsync(send, wait + QueryAllowance, Budget, cancellationToken);

    internal static async Task<T> SendAsync<T>(Func<Task<T>> send, TimeSpan attemptTimeout, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var started = Stopwatch.GetTimestamp();
        for (var delay = FirstDelay; ; delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay)
        {
            try
            {
                // A command's own response timeout bounds it; only queries need a timer of their own. Either stops being
                // waited for when the request is cancelled (the client went away, or the request timed out): the call
                // itself runs to its end, and a command's retry with the same Idempotency-Key learns its outcome.
                return attemptTimeout == Timeout.InfiniteTimeSpan
                    ? await send().WaitAsync(cancellationToken)
                    : await send().WaitAsync(attemptTimeout, cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(started) + delay < budget)
            {
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The message did not reach a live activation (its silo is gone or going), its reply was lost with the silo, or
    /// the cluster cancelled it (a gateway whose placement of the grain waited on a crashed silo until the message
    /// expired: "Message expired before placement could complete"), or the silo that placed it had not yet learned the
    /// role of a silo that joined a moment ago. A cancellation of the request itself is told apart by its token. An
    /// unreachable event store is not transient here: it is answered at once with 503, and so is a side with no silo up.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is OrleansMessageRejectionException or TimeoutException or OperationCanceledException or SiloRoleUnavailableException { RolesArriving: true };
}
