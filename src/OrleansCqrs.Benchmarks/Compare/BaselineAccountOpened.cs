namespace OrleansCqrs.Benchmarks.Compare;

[GenerateSerializer, Immutable, Alias("bench.baseline.account-opened.v1")]
public sealed record BaselineAccountOpened : BaselineEvent;
