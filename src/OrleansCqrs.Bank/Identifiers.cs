using System.Buffers;

namespace OrleansCqrs.Bank;

/// <summary>The shape of account and customer ids: short, URL-safe, no surprises in logs or keys.</summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && !id.AsSpan().ContainsAnyExcept(Allowed);
}
