using System.Collections.Immutable;

namespace OrleansCqrs.Framework.Aggregates;

/// <summary>
/// Who acts: the authenticated principal a command is sent for. It travels with the command, so the aggregate checks
/// it too (the HTTP front end is not the only way to a grain), and it is recorded with every event the command causes.
/// </summary>
/// <param name="Subject">The principal's stable id (a token's <c>sub</c>).</param>
/// <param name="Party">The business party the principal acts for (a customer id), if any.</param>
/// <param name="Roles">What the principal may do beyond its own party's business (e.g. <c>operator</c>).</param>
[GenerateSerializer, Immutable, Alias("cqrs.actor.v1")]
public sealed record Actor(
    [property: Id(0)] string Subject,
    [property: Id(1)] string? Party,
    [property: Id(2)] ImmutableArray<string> Roles)
{
    public bool IsInRole(string role) => !Roles.IsDefaultOrEmpty && Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Whether the principal acts for <paramref name="party"/>.</summary>
    public bool ActsFor(string? party) => Party is not null && string.Equals(Party, party, StringComparison.Ordinal);
}
