using Npgsql;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Refuses to start a silo whose PostgreSQL would acknowledge commits it can lose in a crash: <c>fsync</c> off, or
/// <c>synchronous_commit</c> off as the silo's sessions see it (server, database and role settings together). A
/// command is acknowledged once its append commits, and that must stay true; the server's settings are not the app's,
/// so they are checked. (The <c>migrate</c> command pins <c>synchronous_commit</c> on for the silo role.)
/// </summary>
public sealed class PostgresDurabilityCheck(OrleansCqrsSettings settings) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        if (settings.Store == StoreKind.Postgres)
        {
            lifecycle.Subscribe(nameof(PostgresDurabilityCheck), ServiceLifecycleStage.RuntimeInitialize, ct => VerifyAsync(settings.RequirePostgres(), ct));
        }
    }

    public static async Task VerifyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT current_setting('fsync'), current_setting('synchronous_commit')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (fsync, synchronousCommit) = (reader.GetString(0), reader.GetString(1));
        if (fsync == "off" || synchronousCommit == "off")
        {
            throw new InvalidOperationException(
                $"PostgreSQL runs with fsync = {fsync} and synchronous_commit = {synchronousCommit} for {builder.Username}: acknowledged "
                + "commands could be lost in a crash. Turn both on (synchronous_commit also per database or role) before starting a silo.");
        }
    }
}
