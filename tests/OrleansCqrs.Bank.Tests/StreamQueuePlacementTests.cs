using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests;

/// <summary>Memory-stream queue grains live on the silo of the pulling agent that polls them.</summary>
public sealed class StreamQueuePlacementTests
{
    [Fact]
    public async Task Pulling_agents_poll_queue_grains_on_their_own_silo()
    {
        var before = QueuePollLocality.Counts;

        var after = await Eventually.ReturnsAsync(
            () => Task.FromResult(QueuePollLocality.Counts),
            counts => counts.Local + counts.Remote - before.Local - before.Remote >= 400,
            TimeSpan.FromSeconds(60),
            "400 polls of the stream queues (an idle agent polls a few times a second)");

        var remote = after.Remote - before.Remote;
        var local = after.Local - before.Local;
        Assert.True(remote * 20 <= local + remote, $"{remote} of {local + remote} polls crossed silos.");
    }
}
