namespace OrleansCqrs.Benchmarks.Compare;

[GenerateSerializer, Immutable, Alias("bench.baseline.deposited.v1")]
public sealed record BaselineDeposited([property: Id(0)] decimal Amount) : BaselineEvent;
