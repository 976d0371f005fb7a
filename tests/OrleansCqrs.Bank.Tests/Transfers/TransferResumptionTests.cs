using Orleans.TestingHost;
using OrleansCqrs.Bank.Transfers;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Framework.Processes;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Transfers;

/// <summary>
/// A transfer that stops half way with nobody calling it is finished by the <see cref="ProcessResumer"/> alone: no
/// test call reaches the transfer until its outcome is in the log. Each test runs a two-silo cluster of its own.
/// </summary>
public sealed class TransferResumptionTests
{
    /// <summary>The issue's bound: a started transfer ends within this of the cluster being up.</summary>
    private static readonly TimeSpan ResumeDeadline = TimeSpan.FromSeconds(10);

    private static Task<TestCluster> DeployAsync(string name) =>
        ClusterFixture.DeployAsync(name, null, builder => builder.AddSiloBuilderConfigurator<ResumeFaults.Configurator>());

    private static async Task StopAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    /// <summary>Awaits the resumer's word that it resumed the transfer.</summary>
    private static Task<ProcessResumerStatus> AwaitResumedAsync(IGrainFactory grains, string transferId) =>
        Eventually.ReturnsAsync(
            () => grains.GetGrain<IProcessResumer>(0).GetStatus(),
            status => status.RecentlyResumed.Contains(TransferAudit.StreamOf(transferId)),
            TimeSpan.FromSeconds(5),
            $"the process resumer to record resuming {transferId}",
            status => $"{status}, recently resumed {string.Join(", ", status.RecentlyResumed.TakeLast(5))}");

    [Fact]
    public async Task A_transfer_written_into_the_store_that_no_grain_ever_ran_is_finished_by_the_resumer()
    {
        var name = $"resume-store-{Guid.NewGuid():N}";
        var cluster = await DeployAsync(name);
        try
        {
            var load = new TransferLoad(() => cluster.GrainFactory);
            var (from, to) = ((await load.OpenAsync("src", 1, 100m))[0], (await load.OpenAsync("dst", 1, 0m))[0]);
            var id = TransferLoad.NewTransferId();
            load.Track(id);
            var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
            var requested = ClusterFixture.Serializer.Serialize(new TransferRequested(from, to, 30m, "EUR", null, metadata.Timestamp), metadata);
            var log = ClusterFixture.StoreOf(name).Inner;
            await log.AppendAsync(new AppendRequest(TransferAudit.StreamOf(id), 0, [requested], metadata.CommandId));

            await TransferAudit.AwaitEndedInLogAsync(log, [id], ResumeDeadline);

            await AwaitResumedAsync(cluster.GrainFactory, id);
            Assert.Equal(1, await load.AuditAsync(log, TimeSpan.Zero));
            Assert.Equal(TransferView.Completed, (await load.GetAsync(id)).Status);
        }
        finally
        {
            await StopAsync(cluster);
        }
    }

    [Fact]
    public async Task A_transfer_whose_first_run_of_its_steps_failed_is_finished_by_the_resumer()
    {
        var name = $"resume-failed-{Guid.NewGuid():N}";
        var id = TransferLoad.NewTransferId();
        var cluster = await DeployAsync(name);
        try
        {
            var load = new TransferLoad(() => cluster.GrainFactory);
            var (from, to) = ((await load.OpenAsync("src", 1, 100m))[0], (await load.OpenAsync("dst", 1, 0m))[0]);
            ResumeFaults.FailSelfCalls(id);

            await load.RequestAsync(from, to, 30m, id);
            await TransferAudit.AwaitEndedInLogAsync(ClusterFixture.StoreOf(name).Inner, [id], ResumeDeadline);

            Assert.True(ResumeFaults.FailedCalls(id) >= 1, "The transfer's own run of its steps never failed: the test proves nothing.");
            await AwaitResumedAsync(cluster.GrainFactory, id);
            Assert.Equal(1, await load.AuditAsync(ClusterFixture.StoreOf(name).Inner, TimeSpan.Zero));
        }
        finally
        {
            ResumeFaults.Heal(id);
            await StopAsync(cluster);
        }
    }

    [Fact]
    public async Task After_the_whole_cluster_restarts_the_resumer_finishes_a_transfer_left_open_behind_its_saved_checkpoint()
    {
        var name = $"resume-restart-{Guid.NewGuid():N}";
        var log = ClusterFixture.StoreOf(name).Inner;
        TestCluster? running = null;
        var load = new TransferLoad(() => running!.GrainFactory);
        var stuck = TransferLoad.NewTransferId();
        long stuckAt;
        long savedCheckpoint;
        var first = running = await DeployAsync(name);
        try
        {
            var accounts = await load.OpenAsync("acc", 4, 100m);
            for (var i = 0; i < 3; i++)
            {
                await load.GetAsync(await load.RequestAsync(accounts[i], accounts[i + 1], 10m));
            }

            ResumeFaults.FailEveryCall(stuck);
            await load.RequestAsync(accounts[0], accounts[3], 25m, stuck);
            for (var i = 0; i < 3; i++)
            {
                await load.GetAsync(await load.RequestAsync(accounts[i + 1], accounts[i], 5m));
            }

            stuckAt = (await log.ReadStreamAsync(TransferAudit.StreamOf(stuck), 1, 1))[0].Position;
            var head = await log.GetHeadPositionAsync();
            // Later transfers ended and were read, yet the saved checkpoint stays below the one left open.
            var status = await Eventually.ReturnsAsync(
                () => first.GrainFactory.GetGrain<IProcessResumer>(0).GetStatus(),
                s => s.ReadUpTo >= head && s.Open == 1 && s.Checkpoint == stuckAt - 1,
                TimeSpan.FromSeconds(10),
                $"the resumer to read past {head} and save checkpoint {stuckAt - 1} below the open transfer");
            savedCheckpoint = status.Checkpoint;
            Assert.False(await TransferAudit.HasEndedAsync(log, stuck));
        }
        finally
        {
            await StopAsync(first);
            ResumeFaults.Heal(stuck);
        }

        var second = running = await DeployAsync(name);
        try
        {
            var restarted = await second.GrainFactory.GetGrain<IProcessResumer>(0).GetStatus();
            Assert.True(restarted.Checkpoint >= savedCheckpoint, $"The resumer restarted at {restarted.Checkpoint}, not from its saved checkpoint {savedCheckpoint}.");

            await TransferAudit.AwaitEndedInLogAsync(log, [stuck], ResumeDeadline);

            await AwaitResumedAsync(second.GrainFactory, stuck);
            Assert.Equal(7, await load.AuditAsync(log, TimeSpan.Zero));
        }
        finally
        {
            await StopAsync(second);
        }
    }
}
