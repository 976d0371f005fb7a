using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansCqrs.Bank.Accounts;
using OrleansCqrs.Framework.Events;
using OrleansCqrs.Framework.EventStore;

namespace OrleansCqrs.Bank.Tests.Evolution;

/// <summary>
/// Today's bank, on a store of its own into which the tests write the earlier bank's events through the store's
/// append path, serialized as that bank did. Its silos read events through today's types and the earlier bank's
/// upcasters (<see cref="YesterdaysBankEvolution"/>); nothing of it is ever published on a stream.
/// </summary>
public sealed class EvolvedBankCluster : IAsyncLifetime
{
    private readonly string _name = $"evolution-{Guid.NewGuid():N}";

    /// <summary>What the earlier bank wrote with: its own event types (and the one it shares with today).</summary>
    private static readonly EventSerializer Yesterday = new(new EventTypeRegistry(
        [typeof(AccountCreated), typeof(AccountCredited), typeof(MoneyWithdrawn), typeof(AccountTerminated)]));

    /// <summary>Today's bank events, read through the upcasters (the test's own evolution, registered as a domain's would be).</summary>
    public static EventTypeRegistry Today { get; } = new(
        typeof(AccountOpened).Assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IDomainEvent).IsAssignableFrom(t)),
        Upcasters());

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public IEventStore Log => ClusterFixture.StoreOf(_name).Inner;

    public async ValueTask InitializeAsync() =>
        Cluster = await ClusterFixture.DeployAsync(_name, null, builder => builder.AddSiloBuilderConfigurator<TodaysEventsWithUpcasters>());

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Appends the earlier bank's events to the account's stream, as its aggregate did; returns the stream's version.</summary>
    public async Task<long> WriteYesterdaysEventsAsync(string accountId, params IDomainEvent[] events)
    {
        var stream = ClusterFixture.StreamOf(accountId);
        var version = (await Log.ReadStreamAsync(stream, 1, int.MaxValue)).Count;
        var metadata = new EventMetadata(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var result = await Log.AppendAsync(new AppendRequest(stream, version, [.. events.Select(e => Yesterday.Serialize(e, metadata))], metadata.CommandId));
        return result.Version;
    }

    private static EventUpcasters Upcasters()
    {
        var upcasters = new EventUpcasters();
        new YesterdaysBankEvolution().Register(upcasters);
        return upcasters;
    }

    private sealed class TodaysEventsWithUpcasters : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Services.AddSingleton(Today);
    }
}
