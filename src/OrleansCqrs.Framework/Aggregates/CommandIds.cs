using System.Security.Cryptography;
using System.Text;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// Command ids that are the same every time they are made from the same text: a retried request, or a step a process
/// manager runs again after a crash, carries the id of its first run, so the aggregate answers it with the outcome it
/// recorded then (applied at most once).
/// </summary>
public static class CommandIds
{
    /// <summary>The command id of <paramref name="step"/> of the process or request <paramref name="scope"/>.</summary>
    public static Guid Derive(string scope, string step) => Derive($"{scope}\n{step}");

    /// <summary>A stable GUID for <paramref name="text"/> (SHA-256, marked as an RFC 9562 version 8 UUID).</summary>
    public static Guid Derive(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
