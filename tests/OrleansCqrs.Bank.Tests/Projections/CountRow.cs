namespace OrleansCqrs.Bank.Tests.Projections;

/// <summary>An event count (of a stream, or of all of them).</summary>
[GenerateSerializer, Immutable, Alias("tests.count-row.v1")]
public sealed record CountRow([property: Id(0)] long Events);
