namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>
/// An account of the Orleans baselines as their grains keep it. Mutable, with public setters: the shape
/// <c>JournaledGrain</c> folds into in place and Orleans' default grain-storage serializer (JSON) writes and reads.
/// </summary>
[GenerateSerializer, Alias("bench.baseline.account.v1")]
public sealed class BaselineAccount
{
    [Id(0)]
    public bool Opened { get; set; }

    [Id(1)]
    public decimal Balance { get; set; }

    /// <summary>Why the deposit is refused, or null when the account takes it (the same rules as the bank's).</summary>
    public string? DepositProblem(decimal amount) =>
        !Opened ? "The account is not open." : amount <= 0 ? "The amount must be greater than zero." : null;
}
