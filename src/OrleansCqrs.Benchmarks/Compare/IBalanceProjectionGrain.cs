using Orleans.Concurrency;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>The read model of one <see cref="InMemoryAccountGrain"/>, keyed by the same account id.</summary>
[Alias("bench.IBalanceProjectionGrain")]
public interface IBalanceProjectionGrain : IGrainWithStringKey
{
    /// <summary>The balance folded from the deposits the stream delivered so far.</summary>
    [Alias("balance"), ReadOnly]
    Task<decimal> GetBalance();
}
