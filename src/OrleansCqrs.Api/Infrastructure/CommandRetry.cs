using System.Diagnostics;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// Rides out silo failover. Until the cluster has declared a crashed silo dead and its grains live again elsewhere,
/// a command sent to one of them is rejected, or its reply never comes. Every command carries its command id, and
/// the aggregate answers a repeated id with its first outcome, so sending it again cannot apply it twice: the front
/// end retries such failures for a while, and the caller sees a slower answer instead of an error.
/// </summary>
public static class CommandRetry
{
    /// <summary>How long a command keeps being retried: longer than failure detection (docs/cluster.md).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    public static async Task<T> SendAsync<T>(Func<Task<T>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        var elapsed = Stopwatch.StartNew();
        for (var delay = FirstDelay; ; delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay)
        {
            try
            {
                return await send();
            }
            catch (Exception ex) when (IsTransient(ex) && elapsed.Elapsed + delay < Budget)
            {
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The message did not reach a live activation (its silo is gone or going) or its reply was lost with the silo.
    /// An unreachable event store is not transient here: it is answered at once with 503.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception is OrleansMessageRejectionException or TimeoutException;
}
