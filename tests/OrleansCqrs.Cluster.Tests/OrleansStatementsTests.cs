using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansCqrs.Bank;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Cluster.Tests;

/// <summary>
/// Our PostgreSQL statements for Orleans' ADO.NET clustering and reminders, through Orleans' own providers as a silo
/// configured by <see cref="ClusterSetup"/> builds them (the silo itself is not started): the contract the
/// providers expect, including the version checks that keep concurrent membership changes from overwriting each
/// other.
/// </summary>
public sealed class OrleansStatementsTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private IHost _host = null!;
    private OrleansCqrsSettings _settings = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = new OrleansCqrsSettings
        {
            Store = StoreKind.Postgres,
            PostgresConnectionString = await postgres.Server.CreateDatabaseAsync("statements"),
            ClusterId = $"statements-{Guid.NewGuid():N}",
            // The hosts are built to reach the providers, never started: no connection is opened to secure.
            Tls = new TlsSettings { Enabled = false },
        };
        _settings = settings;
        await SchemaMigrationStartup.MigrateAsync(settings, AppContext.BaseDirectory, CancellationToken.None);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansCqrs:Store"] = "Postgres",
            ["OrleansCqrs:PostgresConnectionString"] = settings.PostgresConnectionString,
        });
        builder.UseOrleans(silo => silo.UseOrleansCqrsCluster(settings).AddOrleansCqrs(builder.Configuration, AppContext.BaseDirectory, cqrs => cqrs.AddDomain<BankModule>()));
        _host = builder.Build();
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Membership_changes_apply_only_against_the_version_they_were_read_at()
    {
        var table = _host.Services.GetRequiredService<IMembershipTable>();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);

        var silo = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(silo, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(Entry(11112, SiloStatus.Joining), empty.Version.Next()), "An insert at a stale version was applied.");

        var one = await table.ReadAllAsync();
        var (stored, etag) = Assert.Single(one.Members);
        Assert.Equal((silo.SiloAddress, SiloStatus.Joining, 30001, "silo-11111", "host-1"), (stored.SiloAddress, stored.Status, stored.ProxyPort, stored.SiloName, stored.HostName));
        Assert.Equal(empty.Version.Version + 1, one.Version.Version);

        silo.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(silo, etag, one.Version.Next()));
        Assert.False(await table.UpdateRowAsync(silo, etag, one.Version.Next()), "An update at a stale version was applied.");

        var gateways = await GatewaysAsync();
        var row = await table.ReadRowAsync(silo.SiloAddress);
        Assert.Equal(SiloStatus.Active, Assert.Single(row.Members).Item1.Status);

        var alive = DateTime.UtcNow.AddMinutes(1);
        silo.IAmAliveTime = alive;
        await table.UpdateIAmAliveAsync(silo);
        var afterHeartbeat = await table.ReadAllAsync();
        Assert.Equal(row.Version, afterHeartbeat.Version);
        Assert.Equal(alive, afterHeartbeat.Members[0].Item1.IAmAliveTime, TimeSpan.FromMilliseconds(1));

        // A dead silo whose heartbeats stopped long ago is forgotten; an active one never is.
        var dead = Entry(11113, SiloStatus.Dead, DateTime.UtcNow.AddHours(-2));
        Assert.True(await table.InsertRowAsync(dead, afterHeartbeat.Version.Next()));
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal([silo.SiloAddress], (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress));
        Assert.Contains(new Uri($"gwy.tcp://127.0.0.1:30001/{silo.SiloAddress.Generation}"), gateways);
    }

    [Fact]
    public async Task Reminders_are_stored_read_by_grain_and_by_ring_range_and_removed_only_at_their_version()
    {
        var table = _host.Services.GetRequiredService<IReminderTable>();
        await table.StartAsync();
        var grain = GrainId.Create("statements", Guid.NewGuid().ToString("N"));
        var start = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        var etag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "tick", StartAt = start, Period = TimeSpan.FromMinutes(5) });
        Assert.NotNull(etag);

        var read = await table.ReadRow(grain, "tick");
        Assert.NotNull(read);
        Assert.Equal((grain, "tick", start, TimeSpan.FromMinutes(5), etag), (read.GrainId, read.ReminderName, read.StartAt, read.Period, read.ETag));

        var newEtag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "tick", StartAt = start, Period = TimeSpan.FromMinutes(10) });
        Assert.NotEqual(etag, newEtag);
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.Single((await table.ReadRows(grain)).Reminders).Period);

        // A silo owns the ring range (begin, end]; a range that wraps past uint.MaxValue is read as two.
        var hash = grain.GetUniformHashCode();
        Assert.Single((await table.ReadRows(hash - 1, hash)).Reminders);
        Assert.Empty((await table.ReadRows(hash, hash + 1)).Reminders);
        Assert.Single((await table.ReadRows(hash + 1, hash)).Reminders);
        Assert.Empty((await table.ReadRows(hash, hash - 1)).Reminders);

        Assert.False(await table.RemoveRow(grain, "tick", etag!), "A reminder was removed at a stale version.");
        Assert.True(await table.RemoveRow(grain, "tick", newEtag!));
        Assert.Null(await table.ReadRow(grain, "tick"));
    }

    [Fact]
    public void Stream_queue_grains_are_placed_with_the_agent_that_polls_them()
    {
        var queue = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<Orleans.Providers.IMemoryStreamQueueGrain>(Guid.NewGuid());
        var placement = _host.Services.GetRequiredService<Orleans.Runtime.Placement.PlacementStrategyResolver>();
        Assert.IsType<PreferLocalPlacement>(placement.GetPlacementStrategy(queue.GetGrainId().Type));
    }

    private static MembershipEntry Entry(int port, SiloStatus status, DateTime? at = null) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 42),
        Status = status,
        ProxyPort = port - 11111 + 30001,
        HostName = $"host-{port - 11110}",
        SiloName = $"silo-{port}",
        StartTime = at ?? DateTime.UtcNow,
        IAmAliveTime = at ?? DateTime.UtcNow,
    };

    /// <summary>The gateways a front end (a grain client, configured by <see cref="ClusterSetup"/>) finds.</summary>
    private async Task<IList<Uri>> GatewaysAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseOrleansCqrsCluster(_settings));
        using var client = builder.Build();
        var gateways = client.Services.GetRequiredService<Orleans.Messaging.IGatewayListProvider>();
        await gateways.InitializeGatewayListProvider();
        return await gateways.GetGateways();
    }
}
