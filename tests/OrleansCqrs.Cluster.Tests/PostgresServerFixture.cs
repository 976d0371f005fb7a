using OrleansCqrs.Testing;

[assembly: AssemblyFixture(typeof(OrleansCqrs.Cluster.Tests.PostgresServerFixture))]

// Each test runs a whole cluster on a 2-core machine: one at a time, or their failure detectors see each other's load.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace OrleansCqrs.Cluster.Tests;

/// <summary>One private PostgreSQL for the test assembly; each test gets its own database on it.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
