using Npgsql;
using OrleansCqrs.Framework.Postgres;

namespace OrleansCqrs.Framework.Tests.Postgres;

public sealed class NpgsqlConnectionDefaultsTests
{
    [Fact]
    public void GSS_encryption_is_off_unless_asked_and_everything_else_is_kept()
    {
        var applied = new NpgsqlConnectionStringBuilder(
            NpgsqlConnectionDefaults.Apply("Host=db;Port=6543;Username=silo;Passfile=/run/secrets/pgpass;Database=ledger;SSL Mode=Require"));

        Assert.Equal(GssEncryptionMode.Disable, applied.GssEncryptionMode);
        Assert.Equal(("db", 6543, "silo", "/run/secrets/pgpass", "ledger", SslMode.Require),
            (applied.Host, applied.Port, applied.Username, applied.Passfile, applied.Database, applied.SslMode));
    }

    [Theory]
    [InlineData("Host=db;GSS Encryption Mode=Prefer", GssEncryptionMode.Prefer)]
    [InlineData("Host=db;gss encryption mode=Require", GssEncryptionMode.Require)]
    [InlineData("Host=db;GssEncryptionMode=Prefer", GssEncryptionMode.Prefer)]
    public void A_mode_the_connection_string_names_is_kept(string connectionString, GssEncryptionMode expected)
    {
        var applied = NpgsqlConnectionDefaults.Apply(connectionString);

        Assert.Equal(connectionString, applied);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(applied).GssEncryptionMode);
    }
}
