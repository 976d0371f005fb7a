using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Hosting;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// A pulling agent whose queue is empty waits for the next event instead of polling every few milliseconds, and reads
/// an event as soon as it arrives (<c>QueueArrivals</c>, <c>ArrivalWaitingReceiver</c>).
/// </summary>
public sealed class QueueWakeTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_idle_silo_polls_each_event_queue_a_few_times_a_second_not_every_few_milliseconds()
    {
        await using var cluster = await RoleCluster.DeployAsync("all");
        var silo = cluster.Cluster.Primary!.SiloAddress;

        // At most one poll per queue per wait, and a few to spare (Orleans' 5 ms timer alone made 400 a second).
        var window = TimeSpan.FromSeconds(2);
        var allowed = SiloSetup.StreamQueues * ((int)(window / SiloSetup.StreamQueueIdleWait) + 2);
        await Eventually.ReturnsAsync(
            async () =>
            {
                var before = QueuePollLocality.PollsBy(silo);
                await Task.Delay(window);
                return QueuePollLocality.PollsBy(silo) - before;
            },
            polls => polls <= allowed,
            Settle,
            $"at most {allowed} polls of the {SiloSetup.StreamQueues} idle queues in {window.TotalSeconds:0} s",
            polls => $"{polls} polls");
    }

    [Fact]
    public async Task An_event_reaching_an_idle_queue_is_read_at_once_not_when_the_agents_wait_runs_out()
    {
        await using var cluster = await RoleCluster.DeployAsync("all");
        var silo = cluster.Cluster.Primary!.SiloAddress;
        var (account, _) = await cluster.OpenWithDepositAsync("wake", 10m);

        // The account's events are the only ones in this cluster: the one queue they went to.
        var queue = (await Eventually.ReturnsAsync(
            () => Task.FromResult(QueuePollLocality.ReadDelaysOn(silo)),
            delays => delays.Count == 1,
            Settle,
            "the account's events read from one queue",
            delays => $"{delays.Count} queue(s): {string.Join("; ", delays.Select(d => $"{d.Key} {d.Value.Length} read"))}")).Single().Key;

        const int deposits = 8;
        for (var i = 0; i < deposits; i++)
        {
            // A poll since the last event was read finds the queue empty: the agent now waits a whole IdleWait.
            var polls = QueuePollLocality.PollsOf(silo, queue);
            await Eventually.ReturnsAsync(
                () => Task.FromResult(QueuePollLocality.PollsOf(silo, queue)),
                now => now > polls,
                Settle,
                "the queue polled (and found empty) since its last event was read");
            var read = QueuePollLocality.ReadDelaysOn(silo)[queue].Length;
            var deposited = await cluster.Grains.GetGrain<IAccountGrain>(account).Execute(new DepositMoney(1m), CommandContext.New());
            Assert.True(deposited.IsAccepted, deposited.Rejection?.Message);
            await Eventually.ReturnsAsync(
                () => Task.FromResult(QueuePollLocality.ReadDelaysOn(silo)[queue].Length),
                now => now == read + 1,
                Settle,
                $"deposit {i + 1} read from its queue");
        }

        // Read at once: milliseconds. Left to the wait running out, most of a quarter of a second.
        var waited = QueuePollLocality.ReadDelaysOn(silo)[queue][^deposits..];
        var median = waited.Order().ElementAt(waited.Length / 2);
        Assert.True(
            median < SiloSetup.StreamQueueIdleWait / 4,
            $"Median time from enqueue to read {median.TotalMilliseconds:0} ms; all: {string.Join(", ", waited.Select(d => $"{d.TotalMilliseconds:0}"))} ms.");
    }
}
