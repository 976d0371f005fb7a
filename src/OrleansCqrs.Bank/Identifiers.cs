using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Bank;

/// <summary>The shape of account and customer ids: the framework's id format, which the HTTP edge checks too.</summary>
public static class Identifiers
{
    public const int MaxLength = IdFormat.MaxLength;

    public static bool IsValid(string? id) => IdFormat.IsValid(id);
}
