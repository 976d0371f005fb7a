namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>A deposit into a Marten account stream.</summary>
public sealed record MartenMoneyDeposited(decimal Amount);
