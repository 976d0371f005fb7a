using System.Buffers;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// The shape of an id taken from a request (a route segment or a body field) before it becomes a grain key or a
/// stream name: short, URL-safe, no surprises in logs or keys.
/// </summary>
public static class IdFormat
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && !id.AsSpan().ContainsAnyExcept(Allowed);
}
