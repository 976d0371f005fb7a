using System.Globalization;
using Npgsql;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Least privilege on PostgreSQL, applied by the <c>migrate</c> command as the migrator role (the owner of every
/// table, which may create roles): the silo and front-end roles of <see cref="DatabaseRoleSettings"/> are created if
/// missing, given their passwords, stripped of every privilege in the schema and granted exactly those of
/// <see cref="Tables"/>. Running it again brings a role back to this list, whatever was granted by hand meanwhile.
/// Only the tables the database holds are granted: with a read store of its own, the event log's database and the read
/// store's each hold part of the list (SchemaMigrationStartup.EventLogMigrations, .ReadStoreMigrations).
/// </summary>
public static class PostgresRoles
{
    /// <summary>
    /// Every table of the schema and what each role may do on it. The event log is append-only for silos (INSERT and
    /// SELECT, never UPDATE, DELETE or TRUNCATE): a compromised silo can add events but not rewrite history. Front
    /// ends only read the gateway list (Orleans' GatewaysQueryKey over the membership table, whose text they read
    /// from OrleansQuery). A new table must be added here: a test compares this list with the migrated schema.
    /// </summary>
    public static readonly IReadOnlyList<TableGrant> Tables =
    [
        new("cqrs_events", Silo: "SELECT, INSERT", FrontEnd: ""),
        // Read by every append and log read; changed only by the migrator (restores).
        new("cqrs_log_clock", Silo: "SELECT", FrontEnd: ""),
        // Rejections are purged after their retention (RejectionPurge).
        new("cqrs_command_rejections", Silo: "SELECT, INSERT, DELETE", FrontEnd: ""),
        new("cqrs_projections", Silo: "SELECT, INSERT, UPDATE", FrontEnd: ""),
        new("cqrs_projection_rows", Silo: "SELECT, INSERT, UPDATE, DELETE", FrontEnd: ""),
        new("cqrs_schema_migrations", Silo: "", FrontEnd: ""),
        new("orleansquery", Silo: "SELECT", FrontEnd: "SELECT"),
        // A cleared grain state is an UPDATE to a null payload, never a DELETE.
        new("orleans_storage", Silo: "SELECT, INSERT, UPDATE", FrontEnd: ""),
        new("orleans_membership_version", Silo: "SELECT, INSERT, UPDATE, DELETE", FrontEnd: ""),
        new("orleans_membership", Silo: "SELECT, INSERT, UPDATE, DELETE", FrontEnd: "SELECT"),
        new("orleans_reminders", Silo: "SELECT, INSERT, UPDATE, DELETE", FrontEnd: ""),
    ];

    /// <summary>The membership functions of Migrations/Postgres/0200: silos only (PostgreSQL grants EXECUTE to everyone).</summary>
    private const string MembershipFunctions =
        "orleans_membership_bump(text, integer), orleans_membership_rows(text, text, integer, integer)";

    /// <summary>Serialises concurrent runs: two GRANTs on one object at once can fail with "tuple concurrently updated".</summary>
    private const long RolesLockKey = 0x4F43_5152_524F_4C45; // "OCQRROLE"

    public static async Task ApplyAsync(string connectionString, DatabaseRoleSettings roles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var configured = new List<(string Role, string? PasswordFile, Func<TableGrant, string> Privileges)>();
        if (!string.IsNullOrWhiteSpace(roles.Silo))
        {
            configured.Add((roles.Silo, roles.SiloPasswordFile, t => t.Silo));
        }

        if (!string.IsNullOrWhiteSpace(roles.FrontEnd))
        {
            configured.Add((roles.FrontEnd, roles.FrontEndPasswordFile, t => t.FrontEnd));
        }

        if (configured.Count == 0)
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({RolesLockKey.ToString(CultureInfo.InvariantCulture)})", cancellationToken);
        var present = await TablesAsync(connection, cancellationToken);
        var hasMembership = present.Contains("orleans_membership");
        if (hasMembership)
        {
            await ExecuteAsync(connection, $"REVOKE EXECUTE ON FUNCTION {MembershipFunctions} FROM PUBLIC", cancellationToken);
        }

        foreach (var (role, passwordFile, privileges) in configured)
        {
            await ExecuteFormattedAsync(
                connection,
                "SELECT format('CREATE ROLE %I LOGIN', @role) WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)",
                role,
                null,
                cancellationToken);
            if (!string.IsNullOrWhiteSpace(passwordFile))
            {
                await ExecuteFormattedAsync(
                    connection,
                    "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', @role, @password)",
                    role,
                    await ReadPasswordAsync(role, passwordFile, cancellationToken),
                    cancellationToken);
            }

            var quoted = await QuoteAsync(connection, role, cancellationToken);
            // An acknowledged append must survive a crash, whatever the database's default (PostgresDurabilityCheck).
            await ExecuteAsync(connection, $"ALTER ROLE {quoted} SET synchronous_commit = on", cancellationToken);
            await ExecuteAsync(connection, $"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}", cancellationToken);
            await ExecuteAsync(connection, $"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {quoted}", cancellationToken);
            await ExecuteAsync(connection, $"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {quoted}", cancellationToken);
            foreach (var table in Tables.Where(t => privileges(t).Length > 0 && present.Contains(t.Table)))
            {
                await ExecuteAsync(connection, $"GRANT {privileges(table)} ON TABLE {table.Table} TO {quoted}", cancellationToken);
            }

            if (role == roles.Silo && hasMembership)
            {
                await ExecuteAsync(connection, $"GRANT EXECUTE ON FUNCTION {MembershipFunctions} TO {quoted}", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<HashSet<string>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<string> ReadPasswordAsync(string role, string file, CancellationToken cancellationToken)
    {
        var password = (await File.ReadAllTextAsync(file, cancellationToken)).TrimEnd('\r', '\n');
        return password.Length > 0 && !password.Contains('\n', StringComparison.Ordinal)
            ? password
            : throw new InvalidOperationException($"The password file of role {role} ({file}) must hold one non-empty line.");
    }

    private static async Task<string> QuoteAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT quote_ident(@role)", connection);
        command.Parameters.AddWithValue("role", role);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Role statements take no bound parameters: the server quotes the name and the password into the statement
    /// (format %I and %L), which is then run if one came back.
    /// </summary>
    private static async Task ExecuteFormattedAsync(NpgsqlConnection connection, string formatter, string role, string? password, CancellationToken cancellationToken)
    {
        await using var format = new NpgsqlCommand(formatter, connection);
        format.Parameters.AddWithValue("role", role);
        if (password is not null)
        {
            format.Parameters.AddWithValue("password", password);
        }

        if (await format.ExecuteScalarAsync(cancellationToken) is string statement)
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
