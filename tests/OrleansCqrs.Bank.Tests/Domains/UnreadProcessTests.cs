using OrleansCqrs.Framework.Aggregates;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Bank.Tests.Domains;

/// <summary>A process manager's first command on a new activation, decided before its stream is read.</summary>
public sealed class UnreadProcessTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_refusal_on_the_guess_that_the_stream_is_empty_is_decided_again_on_the_stream()
    {
        var id = $"errand-{Guid.NewGuid():N}";
        var operatorActor = new Actor("sub-op", "bank", ["operator"]);
        var owner = new Actor("sub-e", "cust-e", []);
        Assert.True((await cluster.Grains.GetGrain<IErrandGrain>(id).Execute(new StartErrand("cust-e"), CommandContext.New() with { Actor = operatorActor })).IsAccepted);
        await Activations.GoneAsync(cluster.Grains, cluster.Grains.GetGrain<IErrandGrain>(id), "the ended errand's activation to go");

        // On the empty stream the new activation guesses, the owner is a stranger and only an operator may start an
        // errand; on the stream as stored, it is the owner, and the errand has started.
        var again = await cluster.Grains.GetGrain<IErrandGrain>(id).Execute(new StartErrand("cust-e"), CommandContext.New() with { Actor = owner });

        Assert.Equal(ErrandGrain.AlreadyStarted.Code, again.Rejection?.Code);
    }
}
