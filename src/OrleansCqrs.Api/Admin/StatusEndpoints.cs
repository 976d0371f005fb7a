using OrleansCqrs.Api.Infrastructure;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.AspNetCore;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Framework.Projections;
using OrleansCqrs.Framework.Projections.Healing;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Api.Admin;

/// <summary>The operator's view of the running system: <c>GET /api/admin/status</c>.</summary>
public static class StatusEndpoints
{
    public const string Path = "/api/admin/status";

    /// <summary>How long a dead silo stays listed: long enough to see one that was killed, not the table's whole history.</summary>
    public static readonly TimeSpan DeadSilosShown = TimeSpan.FromMinutes(15);

    /// <summary>The newest heals listed (the healer keeps more).</summary>
    public const int RecentHealsShown = 20;

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, GetStatus)
            .WithTags("Admin")
            .RequireAuthorization(ApiAuthentication.Operator)
            .ProducesProblems(Answers.QueryProblems)
            .WithName(nameof(GetStatus))
            .WithSummary("Operator only: the silos and their roles, each read model's lag behind the log, and the healer's activity.");
        return routes;
    }

    private static async Task<OperatorStatus> GetStatus(IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        // Each part is measured on its own: with every read silo down, the silos and the log's head still answer, and
        // what could not be measured is named in Problems rather than failing the whole view.
        var problems = new List<string>();
        async Task<T?> Measure<T>(string what, Func<Task<T>> read)
            where T : class
        {
            try
            {
                return await GrainRetry.QueryAsync(read, TimeSpan.Zero, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lock (problems)
                {
                    problems.Add($"{what}: {ex.Message}");
                }

                return null;
            }
        }

        var silos = Measure("silos", () => grains.GetGrain<IClusterSilos>(0).GetSilos(DeadSilosShown));
        var healer = Measure("healer", () => grains.GetGrain<IProjectionHealer>(0).GetStatus());
        var ledger = Measure("ledger", () => LedgerLagAsync(grains));
        var resumer = Measure("process-resumer", () => ResumerLagAsync(grains));
        var head = Measure("log", async () => (object)await grains.GetGrain<ILogLag>(0).Head());
        await Task.WhenAll(silos, healer, ledger, resumer, head);

        var heals = healer.Result;
        var streamLags = heals?.Lags.Select(lag => new ReadModelLag(
            lag.Projection, "stream", lag.EventsBehind, false, (long)lag.OldestWaiting.TotalMilliseconds, lag.Pending, null)) ?? [];
        return new OperatorStatus(
            time.GetUtcNow(),
            head.Result as long?,
            [.. (silos.Result ?? []).Select(s => new SiloState(s.Name, s.Address, s.Role?.Name(), s.Status, s.StartedAt, s.LastAliveAt))],
            [.. new[] { ledger.Result, resumer.Result }.OfType<ReadModelLag>(), .. streamLags],
            heals is null ? null : new HealerActivity(
                heals.Checkpoint,
                heals.ReadUpTo,
                heals.Pending,
                heals.Heals,
                [.. heals.RecentHeals.TakeLast(RecentHealsShown).Reverse().Select(h => new HealDone(h.Projection.Type.ToString()!, h.Projection.Key.ToString()!, h.ExpectedVersion, h.ReachedVersion, h.At))]),
            [.. problems.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The ledger is as far as its slowest shard of the generation serving reads.</summary>
    private static async Task<ReadModelLag> LedgerLagAsync(IGrainFactory grains)
    {
        var generation = await grains.GetGrain<ILedgerRegistry>(0).GetActiveGeneration();
        var shards = await Task.WhenAll(LedgerShards.All.Select(shard => grains.GetGrain<ILedgerShard>(LedgerShards.Key(generation, shard)).GetStatus()));
        return await LogLagAsync(grains, "ledger", shards.Min(s => s.Position), shards.Select(s => s.StuckError).FirstOrDefault(e => e is not null));
    }

    private static async Task<ReadModelLag> ResumerLagAsync(IGrainFactory grains)
    {
        var resumer = await grains.GetGrain<IProcessResumer>(0).GetStatus();
        return await LogLagAsync(grains, "process-resumer", resumer.ReadUpTo, null);
    }

    private static async Task<ReadModelLag> LogLagAsync(IGrainFactory grains, string name, long position, string? stuck)
    {
        var lag = await grains.GetGrain<ILogLag>(0).Behind(position);
        return new ReadModelLag(name, "log", lag.EventsBehind, lag.MoreBehind, (long)lag.OldestUnapplied.TotalMilliseconds, null, stuck);
    }
}
