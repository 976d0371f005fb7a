using Npgsql;

namespace OrleansCqrs.Deployment.Tests;

/// <summary>
/// docker-compose.split-store.yml, the override that puts the read models in a PostgreSQL server of their own: merged
/// over docker-compose.yml, every silo and the migration reach the second server as their own roles, with the secrets
/// they already mount.
/// </summary>
public sealed class SplitStoreComposeTests
{
    private static readonly string OverrideFile = Path.Combine(Repository.Root, "docker-compose.split-store.yml");

    private readonly IReadOnlyDictionary<string, ComposeService> _base = ComposeFile.LoadServices(Repository.ComposeFile);
    private readonly IReadOnlyDictionary<string, ComposeService> _override = ComposeFile.LoadServices(OverrideFile);

    [Fact]
    public void Every_silo_and_the_migration_get_a_read_store_on_the_second_server_as_their_own_role()
    {
        var silos = _base.Keys.Where(name => name.StartsWith("silo", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(silos);
        foreach (var (service, role) in silos.Select(s => (s, "orleanscqrs_silo")).Append(("migrate", "orleanscqrs_migrator")))
        {
            var merged = Merged(service);
            var settings = DockerComposeTests.Bind(merged);
            Assert.True(settings.HasSeparateReadStore, $"{service} keeps its read models beside the log.");
            var readStore = new NpgsqlConnectionStringBuilder(settings.RequireReadStore());
            var eventLog = new NpgsqlConnectionStringBuilder(settings.RequirePostgres());
            Assert.Equal(("postgres-reads", role), (readStore.Host, readStore.Username));
            Assert.NotEqual(eventLog.Host, readStore.Host);
            // The password comes from the pgpass file the service already mounts for the event log's server.
            Assert.Equal(eventLog.Passfile, readStore.Passfile);
            Assert.Equal((GssEncryptionMode.Disable, GssEncryptionMode.Disable), (eventLog.GssEncryptionMode, readStore.GssEncryptionMode));
            Assert.Contains(Path.GetFileName(readStore.Passfile!), _base[service].Secrets);
        }
    }

    [Fact]
    public void The_second_server_is_set_up_as_the_first_and_the_migration_waits_for_it()
    {
        var reads = Assert.Contains("postgres-reads", _override);
        Assert.Equal(_base["postgres"].Image, reads.Image);
        Assert.Equal(_base["postgres"].Secrets.Order(StringComparer.Ordinal), reads.Secrets.Order(StringComparer.Ordinal));
        Assert.NotNull(reads.HealthcheckTest);
        Assert.Equal("service_healthy", _override["migrate"].DependsOn["postgres-reads"]);
    }

    /// <summary>What the process sees with both files: compose merges an override's environment into the base's.</summary>
    private Dictionary<string, string> Merged(string service)
    {
        var environment = new Dictionary<string, string>(_base[service].EffectiveEnvironment(), StringComparer.Ordinal);
        foreach (var (key, value) in _override[service].Environment)
        {
            environment[key] = value!;
        }

        return environment;
    }
}
