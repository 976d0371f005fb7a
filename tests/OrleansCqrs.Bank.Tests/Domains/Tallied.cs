using OrleansCqrs.Framework.Events;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>The test domain's one event: a tally went up by <paramref name="By"/>.</summary>
[GenerateSerializer, Immutable, Alias("tests.tally.tallied.v1")]
public sealed record Tallied([property: Id(0)] int By) : IDomainEvent;
