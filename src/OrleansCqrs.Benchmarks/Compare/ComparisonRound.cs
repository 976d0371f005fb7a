using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks.Compare;

/// <summary>What every system of one round shares: the options, the PostgreSQL server and database, the windows.</summary>
public sealed record ComparisonRound(int Round, BenchmarkOptions Options, PostgresServer Server, string Database, TimeSpan WarmUp, TimeSpan Measured)
{
    /// <summary>Account ids of this round: fresh in every round, so that no system reopens an account it kept.</summary>
    public IReadOnlyList<string> Accounts { get; } =
        Enumerable.Range(0, Options.Accounts).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"r{Round}-{i:D6}")).ToArray();

    /// <summary>The progress line's label for <paramref name="system"/>.</summary>
    public string Progress(string system) => $"round {Round}/{Options.Runs} {system}";
}
