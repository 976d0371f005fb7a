using OrleansCqrs.Testing;

namespace OrleansCqrs.Benchmarks;

/// <summary>
/// Reads while writes run at full speed, on two layouts of three silo processes with one front end each: every silo
/// <c>all</c>, and split (one <c>write</c> silo, two <c>read</c> silos). Deposit callers and read callers run side by side
/// over HTTP in closed loops; the question is whether the split layout serves at least the reads of the all-in-one.
/// </summary>
public static class SplitScenario
{
    public static readonly IReadOnlyList<string> AllInOne = ["all", "all", "all"];

    public static readonly IReadOnlyList<string> Split = ["write", "read", "read"];

    public static async Task<SplitRound> RunAsync(
        PostgresServer server, IReadOnlyList<string> roles, int accountCount, int writers, int readers, TimeSpan warmUp, TimeSpan measured)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(roles);
        var database = await server.CreateDatabaseAsync("split");
        try
        {
            await using var cluster = await LocalCluster.StartAsync(database, roles.Count, frontEnds: 1, roles: roles);
            using var client = cluster.FrontEnds[0].CreateClient(TestTokens.Shared.Operator());
            var accounts = await ClusterScenario.OpenAccountsAsync(client, accountCount, writers + readers);
            var failedWrites = 0;
            var failedReads = 0;
            var writes = ClosedLoad.RunAsync(writers, worker => HttpDeposits.RunAsync(client, accounts, worker, () => Interlocked.Increment(ref failedWrites)), warmUp, measured);
            var reads = ClosedLoad.RunAsync(readers, worker => HttpReads.RunAsync(client, accounts, worker, () => Interlocked.Increment(ref failedReads)), warmUp, measured);
            return new SplitRound(string.Join('+', roles), await writes, await reads, failedWrites, failedReads);
        }
        finally
        {
            await ClusterScenario.DropAsync(server, database);
        }
    }
}

/// <summary>One layout of one round: the deposits and the reads it served side by side, and the calls not answered 200.</summary>
public sealed record SplitRound(string Layout, ThroughputResult Writes, ThroughputResult Reads, int FailedWrites, int FailedReads);
