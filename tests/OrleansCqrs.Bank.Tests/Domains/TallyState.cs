namespace OrleansCqrs.Bank.Tests.Domains;

[GenerateSerializer, Immutable, Alias("tests.tally-state.v1")]
public sealed record TallyState([property: Id(0)] int Total);
