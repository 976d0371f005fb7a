using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Deployment.Tests;

/// <summary>
/// docker-compose.yml and silo-config/ describe one deployment: these keep them agreeing with each other and with the
/// settings the programs read, since no test here runs Docker.
/// </summary>
public sealed partial class DockerComposeTests
{
    private const string FrontEnd = "frontend";
    private const string SiloFile = "silo-config/cluster-silo.env";
    private const string FrontEndFile = "silo-config/cluster-frontend.env";
    private const string UrlsKey = "ASPNETCORE_URLS";
    private static readonly string SettingsPrefix = OrleansCqrsSettings.SectionName + "__";

    /// <summary>
    /// Subsections of <c>OrleansCqrs</c> that other settings classes bind (the issue 9 contract: token validation and
    /// cluster TLS), not <see cref="OrleansCqrsSettings"/>.
    /// </summary>
    private readonly IReadOnlyDictionary<string, ComposeService> _services = ComposeFile.LoadServices(Repository.ComposeFile);

    private List<ComposeService> Silos => _services.Values.Where(s => SiloName().IsMatch(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    private ComposeService Frontend => Assert.Contains(FrontEnd, _services);

    /// <summary>The silos and the front end: the processes that serve HTTP health endpoints.</summary>
    private List<ComposeService> Programs => [.. Silos, Frontend];

    private ComposeService Postgres => Assert.Single(_services.Values, s => s.Image?.Split(':')[0] == "postgres");

    [Fact]
    public void Every_env_file_a_service_reads_exists_in_silo_config()
    {
        var files = _services.Values.SelectMany(s => s.EnvFiles.Select(file => (service: s.Name, file))).ToList();

        Assert.NotEmpty(files);
        Assert.All(files, entry =>
        {
            var path = Path.GetFullPath(entry.file, Repository.Root);
            Assert.True(
                Path.GetDirectoryName(path) == Repository.SiloConfig && File.Exists(path),
                $"{entry.service} reads {entry.file}, which is not a file in silo-config/.");
        });
    }

    [Fact]
    public void Three_silos_read_the_silo_file_and_the_front_end_the_front_end_file()
    {
        Assert.Equal(["silo1", "silo2", "silo3"], Silos.Select(s => s.Name));
        Assert.All(Silos, silo => Assert.Equal([SiloFile], silo.EnvFiles));
        Assert.Equal([FrontEndFile], Frontend.EnvFiles);
    }

    [Fact]
    public void Each_silo_advertises_its_own_service_name()
    {
        Assert.NotEmpty(Silos);
        Assert.All(Silos, silo =>
            Assert.Equal(silo.Name, silo.EffectiveEnvironment().GetValueOrDefault($"{SettingsPrefix}{nameof(OrleansCqrsSettings.AdvertisedHost)}")));
    }

    [Fact]
    public void No_two_listeners_of_silos_sharing_a_network_namespace_use_one_port()
    {
        // A container has its own network namespace, so silos in separate containers may all use the defaults;
        // silos sharing one (network_mode: host or service:x) must not.
        var namespaces = Silos.GroupBy(silo => silo.NetworkMode ?? $"container of {silo.Name}").ToList();

        Assert.NotEmpty(namespaces);
        Assert.All(namespaces, group =>
        {
            var listeners = group
                .SelectMany(silo =>
                {
                    var environment = silo.EffectiveEnvironment();
                    var settings = Bind(environment);
                    return new[] { ("silo", settings.SiloPort), ("gateway", settings.GatewayPort) }
                        .Concat(ListenPorts(environment).Select(port => ("http", port)))
                        .Select(listener => (listener.Item1, listener.Item2, silo: silo.Name));
                })
                .ToList();
            var collisions = listeners.GroupBy(l => l.Item2).Where(g => g.Count() > 1)
                .Select(g => $"port {g.Key}: {string.Join(", ", g.Select(l => $"{l.Item1} of {l.silo}"))}");
            Assert.Empty(collisions);
        });
    }

    [Fact]
    public void Every_OrleansCqrs_key_in_compose_and_silo_config_is_a_setting()
    {
        var properties = typeof(OrleansCqrsSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase); // as the configuration binder matches them
        var keys = _services.Values.SelectMany(s => s.Environment.Keys.Select(key => (source: $"service {s.Name}", key)))
            .Concat(Directory.GetFiles(Repository.SiloConfig, "*.env")
                .SelectMany(file => EnvFile.Read(file).Keys.Select(key => (source: Path.GetFileName(file), key))))
            .Where(entry => entry.key.StartsWith(SettingsPrefix, StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.NotEmpty(keys);
        // A nested key (OrleansCqrs__Roles__Silo) names a property by its first part; Bind checks the rest.
        Assert.Empty(keys.Select(entry => (entry.source, entry.key, property: entry.key[SettingsPrefix.Length..].Split("__")[0]))
            .Where(entry => !properties.Contains(entry.property))
            .Select(entry => $"{entry.source}: {entry.key}"));
    }

    [Fact]
    public void The_silos_and_the_front_end_get_cluster_settings_that_bind()
    {
        Assert.All(Programs, program =>
        {
            var settings = Bind(program.EffectiveEnvironment());

            Assert.Equal(StoreKind.Postgres, settings.Store);
            Assert.False(string.IsNullOrWhiteSpace(settings.PostgresConnectionString), $"{program.Name} has no connection string.");
        });
        Assert.Equal(HostingMode.Cluster, Bind(Frontend.EffectiveEnvironment()).Mode);
    }

    [Fact]
    public void The_silos_and_the_front_end_wait_for_a_healthy_postgres()
    {
        var postgres = Postgres.Name;
        Assert.All(Programs, program =>
            Assert.True(
                program.DependsOn.GetValueOrDefault(postgres) == "service_healthy",
                $"{program.Name} does not wait for {postgres} to be healthy."));
    }

    [Fact]
    public void Every_service_but_a_one_shot_job_has_a_healthcheck()
    {
        // A job others wait for with service_completed_successfully runs and exits: there is nothing to check.
        var jobs = _services.Values.SelectMany(s => s.DependsOn)
            .Where(dependency => dependency.Value == "service_completed_successfully")
            .Select(dependency => dependency.Key)
            .ToHashSet(StringComparer.Ordinal);
        var services = _services.Values.Where(s => !jobs.Contains(s.Name)).ToList();

        Assert.Contains(services, s => s.Name == Postgres.Name);
        Assert.All(services, s => Assert.True(s.HealthcheckTest is not null, $"{s.Name} has no healthcheck."));
    }

    [Fact]
    public void The_silos_and_the_front_end_are_checked_on_their_ready_endpoint_where_they_listen()
    {
        Assert.All(Programs, program =>
        {
            var listening = ListenPorts(program.EffectiveEnvironment());
            var urls = (program.HealthcheckTest ?? []).SelectMany(arg => arg.Split(' ')).Where(arg => arg.StartsWith("http", StringComparison.Ordinal));
            var url = new Uri(Assert.Single(urls));

            Assert.True(url.IsLoopback, $"{program.Name} is checked at {url}, not on its own container.");
            Assert.Equal(Health.ReadyPath, url.AbsolutePath);
            Assert.Contains(url.Port, listening);
        });
    }

    [Fact]
    public void The_front_end_publishes_5080_to_where_it_listens()
    {
        var listening = ListenPorts(Frontend.EffectiveEnvironment());

        Assert.Contains(Frontend.Ports, port => port.Published == "5080" && listening.Contains(int.Parse(port.Target, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Silos_have_longer_to_stop_than_their_graceful_shutdown_takes()
    {
        // Compose sends SIGKILL after stop_grace_period (10 s unless set): a silo must be let finish handing its
        // grains back. The timeout is internal to the silo program; reflection reads the one it really uses.
        var shutdown = (TimeSpan)Type.GetType("OrleansCqrs.Silo.SiloHealthCheck, OrleansCqrs.Silo", throwOnError: true)!
            .GetField("ShutdownTimeout", BindingFlags.Public | BindingFlags.Static)!
            .GetValue(null)!;

        Assert.All(Silos, silo =>
        {
            var grace = silo.StopGracePeriod is null ? TimeSpan.FromSeconds(10) : ComposeFile.Duration(silo.StopGracePeriod);
            Assert.True(grace > shutdown, $"{silo.Name} is killed after {grace}, before its {shutdown} graceful shutdown ends.");
        });
    }

    /// <summary>The settings a program builds from this environment, as it binds them (unknown keys are errors).</summary>
    internal static OrleansCqrsSettings Bind(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment
                .Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), (string?)v.Value)))
            .Build()
            .GetSection(OrleansCqrsSettings.SectionName)
            .Get<OrleansCqrsSettings>(options => options.ErrorOnUnknownConfiguration = true) ?? new OrleansCqrsSettings();

    /// <summary>The ports of ASPNETCORE_URLS (<c>http://+:8080;https://+:8443</c>); in a container it must be set.</summary>
    private static List<int> ListenPorts(IReadOnlyDictionary<string, string> environment)
    {
        var urls = Assert.Contains(UrlsKey, environment);
        return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url =>
            {
                var match = ListenUrl().Match(url);
                Assert.True(match.Success, $"{UrlsKey} {url} is not scheme://host[:port]");
                Assert.True(match.Groups["host"].Value is "+" or "*" or "0.0.0.0" or "[::]", $"{url} does not listen on every interface of the container.");
                return match.Groups["port"].Success
                    ? int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture)
                    : match.Groups["scheme"].Value == "https" ? 443 : 80;
            })
            .ToList();
    }

    [GeneratedRegex(@"^silo\d+$")]
    private static partial Regex SiloName();

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[^\]]*\]|[^:/]+)(:(?<port>\d+))?/?$")]
    private static partial Regex ListenUrl();
}
