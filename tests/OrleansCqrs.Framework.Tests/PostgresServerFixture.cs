using OrleansCqrs.Testing;

[assembly: AssemblyFixture(typeof(OrleansCqrs.Framework.Tests.PostgresServerFixture))]

namespace OrleansCqrs.Framework.Tests;

/// <summary>One private PostgreSQL for the whole test assembly; each test class gets its own database.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
