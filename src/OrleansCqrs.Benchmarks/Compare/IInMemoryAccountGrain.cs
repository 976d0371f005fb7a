namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>An account of <see cref="InMemoryOrleansTarget"/>, keyed by account id.</summary>
[Alias("bench.IInMemoryAccountGrain")]
public interface IInMemoryAccountGrain : IGrainWithStringKey
{
    /// <summary>Opens the account (already open: nothing to do); answers once stored.</summary>
    [Alias("open")]
    Task Open();

    /// <summary>Why the deposit was refused, or null once it is stored and its event published.</summary>
    [Alias("deposit")]
    Task<string?> Deposit(decimal amount);
}
