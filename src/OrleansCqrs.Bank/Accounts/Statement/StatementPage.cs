using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OrleansCqrs.Bank.Accounts.Statement;

/// <summary>
/// A page of a statement, newest first. <paramref name="NextBeforeVersion"/> asks for the page after this one
/// (null on the last page); <paramref name="Version"/> is the account version the statement reflects.
/// <paramref name="Stale"/>: the statement could not catch up with the store (it may be behind <paramref name="Version"/>'s
/// successors); over HTTP it is the <c>X-Read-Stale</c> header, as for every read.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.account.statement-page.v1")]
public sealed record StatementPage(
    [property: Id(0)] string AccountId,
    [property: Id(1)] ImmutableArray<StatementEntry> Entries,
    [property: Id(2)] long? NextBeforeVersion,
    [property: Id(3)] long Version,
    [property: Id(4), JsonIgnore] bool Stale = false);
