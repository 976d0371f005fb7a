using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using OrleansCqrs.Framework.AspNetCore.Limits;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// The read-your-writes parameters every query takes: a minimum version or position, and how long to wait for it.
/// </summary>
public static class ReadWait
{
    public const int DefaultMs = 2000;
    public const int MaxMs = 10_000;
    public const string StaleHeader = "X-Read-Stale";

    /// <summary>Adds a field error for each parameter out of range.</summary>
    public static void Check(Dictionary<string, string[]> errors, string minimumName, long? minimum, int? waitMs)
    {
        ArgumentNullException.ThrowIfNull(errors);
        FieldChecks.Range(errors, minimumName, minimum, 0, long.MaxValue);
        FieldChecks.Range(errors, "waitMs", waitMs, 0, MaxMs);
    }

    /// <summary>
    /// Marks an endpoint as a read that takes <c>waitMs</c>: it documents <c>X-Read-Stale</c>, counts against the
    /// waiting-read limits and gets the longer timeout of <see cref="CqrsLimits.WaitingReadTimeoutPolicy"/>.
    /// </summary>
    public static RouteHandlerBuilder WithReadWait(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(ReadWaitMetadata.Instance, new RequestTimeoutAttribute(CqrsLimits.WaitingReadTimeoutPolicy));

    /// <summary>
    /// Marks an endpoint as a read that waits up to <c>waitMs</c> for its item to reach an end (a process to complete):
    /// it counts against the waiting-read limits when <c>waitMs</c> is above 0 and gets the longer timeout, as
    /// <see cref="WithReadWait"/>, but documents no <c>X-Read-Stale</c>.
    /// </summary>
    public static RouteHandlerBuilder WithWaitForEnd(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(ReadWaitMetadata.UntilEnd, new RequestTimeoutAttribute(CqrsLimits.WaitingReadTimeoutPolicy));

    public static TimeSpan Of(int? waitMs) => TimeSpan.FromMilliseconds(waitMs ?? DefaultMs);

    /// <summary>Tells the caller the answer does not yet reflect what it asked for.</summary>
    public static void MarkStale(HttpResponse response, bool stale)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (stale)
        {
            response.Headers[StaleHeader] = "true";
        }
    }
}
