using OrleansCqrs.Testing;

[assembly: AssemblyFixture(typeof(OrleansCqrs.Api.Tests.PostgresServerFixture))]

namespace OrleansCqrs.Api.Tests;

/// <summary>One private PostgreSQL for the test assembly, started on first use only.</summary>
public sealed class PostgresServerFixture : IAsyncDisposable
{
    private readonly Lazy<Task<PostgresServer>> _server = new(PostgresServer.StartAsync);

    public Task<PostgresServer> ServerAsync() => _server.Value;

    public async ValueTask DisposeAsync()
    {
        if (_server.IsValueCreated)
        {
            await (await _server.Value).DisposeAsync();
        }
    }
}
