using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Benchmarks.Tests;

/// <summary>A scenario's set-up rides out a silo too busy to answer in time, without applying a command twice.</summary>
public sealed class SetupCommandTests
{
    [Fact]
    public async Task A_set_up_command_that_timed_out_is_sent_again_with_the_same_command_id()
    {
        var sent = new List<CommandContext>();

        var result = await SetupCommand.SendAsync(context =>
        {
            sent.Add(context);
            return sent.Count < 3
                ? Task.FromException<CommandResult>(new TimeoutException("Response did not arrive on time"))
                : Task.FromResult(CommandResult.Accepted(version: 1, position: 7));
        });

        Assert.True(result.IsAccepted);
        Assert.Equal(7, result.Position);
        Assert.Equal(3, sent.Count);
        Assert.All(sent, context => Assert.Equal(sent[0].CommandId, context.CommandId));
    }

    [Fact]
    public async Task A_set_up_command_that_failed_for_good_is_not_sent_again()
    {
        var sent = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => SetupCommand.SendAsync(_ =>
        {
            sent++;
            return Task.FromException<CommandResult>(new InvalidOperationException("the store refused it"));
        }));

        Assert.Equal(1, sent);
    }
}
