using System.Buffers;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// The shape of an id taken from a request (a route segment or a body field) before it becomes a grain key or a
/// stream name: short, URL-safe, no surprises in logs or keys. It starts with a letter or digit, so that no id is a
/// path segment a URL normalises away (<c>.</c>, <c>..</c>) and could never be addressed again.
/// </summary>
public static class IdFormat
{
    public const int MaxLength = 64;

    /// <summary>The rule in words, for error messages and API documentation.</summary>
    public static string Rule { get; } = $"1 to {MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>The rule as a regular expression, for API documentation (the length is <see cref="MaxLength"/>).</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && char.IsAsciiLetterOrDigit(id[0]) && !id.AsSpan().ContainsAnyExcept(Allowed);
}
