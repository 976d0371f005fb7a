using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// Who a request counts against: its principal (the <c>sub</c> claim) when it is authenticated, else the address it
/// came from. Every per-caller limit (rates, waiting reads, live listeners) partitions by this key.
/// </summary>
public static class CallerPartition
{
    public const string SubjectClaim = "sub";

    /// <summary>
    /// <c>sub:&lt;subject&gt;</c> for an authenticated principal with a subject, else <c>ip:&lt;address&gt;</c>; the prefixes
    /// keep a subject from ever sharing a partition with an address.
    /// </summary>
    public static string KeyOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SubjectOf(context.User) is { } subject ? $"sub:{subject}" : AddressKeyOf(context);
    }

    /// <summary>The subject of an authenticated principal, or null.</summary>
    public static string? SubjectOf(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && user.FindFirst(SubjectClaim)?.Value is { Length: > 0 } subject ? subject : null;

    public static bool IsAuthenticated(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity?.IsAuthenticated == true;
    }

    /// <summary>
    /// <c>ip:&lt;address&gt;</c>. An IPv6 caller is keyed by its /64 network: one host is usually given a whole /64, so
    /// keying by the full address would let it take a fresh partition per request. Behind a proxy the address is the
    /// proxy's unless forwarded headers are applied first (<c>UseForwardedHeaders</c> with the proxies it trusts).
    /// </summary>
    public static string AddressKeyOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"ip:{Network(context.Connection.RemoteIpAddress)}";
    }

    private static string Network(IPAddress? address)
    {
        if (address is null)
        {
            // An in-process test server or a Unix socket: one partition for all of them.
            return "local";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
