using System.Collections.Immutable;

namespace OrleansCqrs.Bank.Accounts.Statement;

/// <summary>
/// A page of a statement, newest first. <paramref name="NextBeforeVersion"/> asks for the page after this one
/// (null on the last page); <paramref name="Version"/> is the account version the statement reflects.
/// </summary>
[GenerateSerializer, Immutable, Alias("bank.account.statement-page.v1")]
public sealed record StatementPage(
    [property: Id(0)] string AccountId,
    [property: Id(1)] ImmutableArray<StatementEntry> Entries,
    [property: Id(2)] long? NextBeforeVersion,
    [property: Id(3)] long Version);
