using System.Data.Common;
using Npgsql;

namespace OrleansCqrs.Framework.Postgres;

/// <summary>The settings every connection of ours to PostgreSQL gets unless its connection string says otherwise.</summary>
public static class NpgsqlConnectionDefaults
{
    /// <summary>
    /// Turns off GSS (Kerberos) session encryption unless the connection string asks for a mode. Npgsql 10 tries it
    /// first by default, and when a server does not answer in time it retries without it on a new socket whose open can
    /// block past every timeout (npgsql/npgsql#6655): measured here, 9 of 100 synchronous opens against a silent server
    /// hung past 6 s with a 1 s connect timeout, none of 100 with GSS encryption off. An event-store writer thread
    /// stuck there would never write again. Deployments that use Kerberos set <c>GSS Encryption Mode</c> themselves.
    /// </summary>
    public static string Apply(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("GSS Encryption Mode") || given.ContainsKey(nameof(NpgsqlConnectionStringBuilder.GssEncryptionMode)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { GssEncryptionMode = GssEncryptionMode.Disable }.ConnectionString;
    }
}
