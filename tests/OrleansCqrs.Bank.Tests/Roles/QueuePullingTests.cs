using OrleansCqrs.Framework.Roles;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// The event stream's queues are pulled on the silos that host the read side, shared evenly, never on a write silo,
/// where an agent would forward every delivery to a read silo (<c>ReadSideQueueBalancer</c>).
/// </summary>
public sealed class QueuePullingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("write,read,read")]
    [InlineData("write,write,read")]
    [InlineData("all,all,all")]
    public async Task Only_read_side_silos_pull_the_event_queues_each_queue_one_silo_shared_evenly(string layout)
    {
        await using var cluster = await RoleCluster.DeployAsync(layout);
        var roles = cluster.Roles();
        var readers = roles.Where(r => r.Value.Hosts(SiloRole.Read)).Select(r => r.Key).ToList();

        // Agents poll their queues every few milliseconds: a second's polls show who pulls what.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(QueuePollLocality.PolledWithin(Window, [.. roles.Keys])),
            polls =>
            {
                var perQueue = polls.GroupBy(p => p.Queue).ToList();
                var perReader = readers.Select(reader => polls.Count(p => p.Agent.Equals(reader))).ToList();
                return perQueue.Count == SiloSetup.StreamQueues
                    && perQueue.All(q => q.Count() == 1)
                    && polls.All(p => readers.Contains(p.Agent))
                    && perReader.Max() - perReader.Min() <= 1;
            },
            Settle,
            $"each of the {SiloSetup.StreamQueues} queues pulled by one of the {readers.Count} read-side silo(s) only, as evenly as they divide",
            polls => string.Join("; ", polls.OrderBy(p => p.Queue.ToString()).Select(p => $"{p.Queue} by a {roles[p.Agent]} silo ({p.Agent})")));
    }

    [Fact]
    public async Task With_no_read_silo_up_nobody_pulls_and_a_read_silo_that_returns_takes_every_queue()
    {
        await using var cluster = await RoleCluster.DeployAsync("write,read");
        var write = cluster.Cluster.Primary!.SiloAddress;
        await cluster.Cluster.StopSiloAsync(cluster.Cluster.SecondarySilos[0]);

        // The write silo's agents would deliver nothing: projections cannot be placed with no read silo up.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(QueuePollLocality.PolledWithin(Window, [write])),
            polls => polls.Count == 0,
            Settle,
            "no queue polled by the write silo while no read silo is up",
            polls => string.Join("; ", polls.Select(p => $"{p.Queue} polled")));

        var read = (await cluster.Cluster.StartAdditionalSiloAsync()).SiloAddress;
        await Eventually.ReturnsAsync(
            () => Task.FromResult(QueuePollLocality.PolledWithin(Window, [write, read])),
            polls => polls.Select(p => p.Queue).Distinct().Count() == SiloSetup.StreamQueues && polls.All(p => p.Agent.Equals(read)),
            Settle,
            $"all {SiloSetup.StreamQueues} queues pulled by the read silo that returned, none by the write silo",
            polls => string.Join("; ", polls.Select(p => $"{p.Queue} by {(p.Agent.Equals(read) ? "the read" : "the write")} silo")));
    }
}
