using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Maps the Idempotency-Key header to a command context: the command id is derived from the caller, the target and
/// the key, so a retry reaches the same command id and another caller's same key does not; the fingerprint is derived from the operation and its body, so the same key
/// with another request is told apart (422).
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;

    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && key.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// A context for a command of <paramref name="actor"/> on <paramref name="target"/>: its id derived from the key if
    /// there is one, else fresh. A key belongs to its caller: the same key from two subjects is two commands (without an
    /// actor, in an app without authentication, the id derives from the target and the key alone, as it always did).
    /// </summary>
    public static CommandContext ContextFor(string? key, string target, string operation, string canonicalBody, Actor? actor = null) =>
        key is null
            ? CommandContext.New() with { Actor = actor }
            : new CommandContext(CommandId(key, target, actor), Fingerprint($"{operation}\n{canonicalBody}"), Actor: actor);

    /// <summary>
    /// A context for a command whose id the request itself determines (derived from an id the client chose, such as a
    /// process's id): the same id with the same <paramref name="canonicalBody"/> is a retry, with another body a 422.
    /// </summary>
    public static CommandContext ContextWithId(Guid commandId, string operation, string canonicalBody, Actor? actor = null) =>
        new(commandId, Fingerprint($"{operation}\n{canonicalBody}"), Actor: actor);

    /// <summary>The id of the command <paramref name="actor"/> sends to <paramref name="target"/> with <paramref name="key"/>.</summary>
    public static Guid CommandId(string key, string target, Actor? actor) =>
        CommandIds.Derive(actor is null ? $"{target}\n{key}" : $"{actor.Subject}\n{target}\n{key}");

    /// <summary>
    /// The id of a new aggregate of kind <paramref name="scope"/> that <paramref name="actor"/> creates with
    /// <paramref name="key"/>: a retry reaches the same aggregate, and another caller's same key another one.
    /// </summary>
    public static Guid NewAggregateId(string scope, string key, Actor? actor) =>
        CommandIds.Derive(actor is null ? $"{scope}\n{key}" : $"{scope}\n{actor.Subject}\n{key}");

    /// <summary>
    /// Whether <paramref name="id"/> has the form <see cref="NewAggregateId"/> gives ids (32 lower-case hex digits of a
    /// version-8 UUID): such ids are reached only through a key, never named by a client (<see cref="FieldChecks.ChosenId"/>).
    /// </summary>
    public static bool IsDerivedId(string id) =>
        Guid.TryParseExact(id, "N", out var guid) && guid.Version == 8 && string.Equals(id, guid.ToString("N"), StringComparison.Ordinal);

    /// <summary>
    /// The canonical text of a command's content: its values in order, one a line, each in a form that does not
    /// depend on how the client wrote it (a decimal without trailing zeros: 10.5 and 10.50 are the same request).
    /// </summary>
    public static string Canonical(params ReadOnlySpan<object?> values)
    {
        var parts = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            parts[i] = values[i] switch
            {
                null => "",
                decimal number => number.ToString("G29", CultureInfo.InvariantCulture),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
        }

        return string.Join('\n', parts);
    }

    /// <summary>
    /// The canonical text of a command record: the values of its primary constructor's parameters, in their
    /// declared order (the order that never changes once a record has shipped).
    /// </summary>
    public static string CanonicalOf(object command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var properties = PositionalProperties.GetOrAdd(command.GetType(), FindPositionalProperties);
        return Canonical([.. properties.Select(p => p.GetValue(command))]);
    }

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PositionalProperties = new();

    private static PropertyInfo[] FindPositionalProperties(Type type)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length);
        return constructor is null
            ? []
            : [.. constructor.GetParameters().Select(p => type.GetProperty(p.Name!) ?? throw new InvalidOperationException(
                $"{type.Name}'s constructor parameter {p.Name} has no property of the same name; a command fingerprint reads its positional properties."))];
    }

    private static string Fingerprint(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
