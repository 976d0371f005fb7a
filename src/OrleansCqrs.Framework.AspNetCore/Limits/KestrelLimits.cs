using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// Kestrel's limits, set here rather than left at Kestrel's defaults (unlimited connections, 30 MB bodies, a Server
/// header). A request past a header limit is refused by Kestrel itself (431), before the app sees it.
/// </summary>
public sealed class KestrelLimits
{
    /// <summary>Open connections at once (live listeners and waiting reads each hold one).</summary>
    [Range(1, long.MaxValue)]
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>Any request body; command endpoints cap theirs lower (16 KiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    [Range(1, int.MaxValue)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>All headers of a request together (a bearer token is a few KiB at most).</summary>
    [Range(1, int.MaxValue)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    [Range(1, int.MaxValue)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>How long a client may take to send its headers: a slow-headers client holds a connection for no more.</summary>
    [Range(1, 3_600)]
    public int RequestHeadersTimeoutSeconds { get; set; } = 15;

    /// <summary>The Server header names the server software to anyone who asks: off.</summary>
    public bool AddServerHeader { get; set; }
}
