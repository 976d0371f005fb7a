using System.Security.Cryptography;
using System.Text;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// Maps the Idempotency-Key header to a command context: the command id is derived from the key and the target, so a
/// retry reaches the same command id; the fingerprint is derived from the operation and its body, so the same key
/// with another request is told apart (422).
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= '!' and <= '~');

    /// <summary>A context for a command on <paramref name="target"/>: from the key if there is one, else fresh.</summary>
    public static CommandContext ContextFor(string? key, string target, string operation, string canonicalBody) =>
        key is null
            ? CommandContext.New()
            : new CommandContext(DeriveGuid($"{target}\n{key}"), Fingerprint($"{operation}\n{canonicalBody}"));

    /// <summary>A stable GUID for <paramref name="text"/> (SHA-256, marked as an RFC 9562 version 8 UUID).</summary>
    public static Guid DeriveGuid(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private static string Fingerprint(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
