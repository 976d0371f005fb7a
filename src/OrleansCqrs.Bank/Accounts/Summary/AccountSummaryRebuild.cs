using Microsoft.Extensions.Logging;
using OrleansCqrs.Bank.Ledger;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Bank.Accounts.Summary;

/// <summary>
/// Walks every account (from the ledger's directory, as of the log head now) and rebuilds its summary from its
/// stream, 32 at a time. Each summary keeps serving until its replacement has caught up. The job runs on this grain
/// in the background; progress is in memory (a silo failure ends the job: start it again).
/// </summary>
[ReadSide]
public sealed partial class AccountSummaryRebuild(IEventStore store, ILogger<AccountSummaryRebuild> logger) : Grain, IAccountSummaryRebuild
{
    private const int Parallelism = 32;
    private Task _job = Task.CompletedTask;
    private int _accounts;
    private int _rebuilt;
    private int _failed;

    public async Task<SummaryRebuildProgress> Start()
    {
        if (_job.IsCompleted)
        {
            var head = await store.GetHeadPositionAsync();
            var generation = await GrainFactory.GetGrain<ILedgerRegistry>(0).GetActiveGeneration();
            var shards = await Task.WhenAll(LedgerShards.All.Select(shard =>
                GrainFactory.GetGrain<ILedgerShard>(LedgerShards.Key(generation, shard)).GetAccountIds(head, TimeSpan.FromSeconds(30))));
            var accounts = shards.SelectMany(s => s.View!).ToList();
            (_accounts, _rebuilt, _failed) = (accounts.Count, 0, 0);
            _job = RunAsync(accounts);
        }

        return await GetProgress();
    }

    public Task<SummaryRebuildProgress> GetProgress() =>
        Task.FromResult(new SummaryRebuildProgress(!_job.IsCompleted, _accounts, _rebuilt, _failed));

    private async Task RunAsync(List<string> accounts)
    {
        // Keep the job's grain alive while it runs.
        DelayDeactivation(TimeSpan.FromHours(1));
        foreach (var chunk in accounts.Chunk(Parallelism))
        {
            await Task.WhenAll(chunk.Select(async id =>
            {
                try
                {
                    await GrainFactory.GetGrain<IAccountSummaryProjection>(id).Rebuild();
                    _rebuilt++;
                }
                catch (Exception ex)
                {
                    _failed++;
                    LogFailed(ex, id);
                }
            }));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the summary of account {AccountId} failed; it keeps its current state")]
    private partial void LogFailed(Exception exception, string accountId);
}
