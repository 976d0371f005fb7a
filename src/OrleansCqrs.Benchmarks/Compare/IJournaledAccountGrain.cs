namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>An account of <see cref="JournaledGrainTarget"/>, keyed by account id.</summary>
[Alias("bench.IJournaledAccountGrain")]
public interface IJournaledAccountGrain : IGrainWithStringKey
{
    /// <summary>Opens the account (already open: nothing to do); answers once stored.</summary>
    [Alias("open")]
    Task Open();

    /// <summary>Why the deposit was refused, or null once it is stored.</summary>
    [Alias("deposit")]
    Task<string?> Deposit(decimal amount);
}
