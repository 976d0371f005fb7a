using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace OrleansCqrs.Deployment.Tests;

/// <summary>
/// docker-compose.yml's optional <c>observability</c> profile: Prometheus scraping every silo on the port its health
/// endpoints (and /metrics) listen on, and nothing else needing it.
/// </summary>
public sealed partial class ObservabilityComposeTests
{
    private const string Profile = "observability";
    private readonly IReadOnlyDictionary<string, ComposeService> _services = ComposeFile.LoadServices(Repository.ComposeFile);

    [Fact]
    public void Only_the_observability_services_are_in_the_profile_and_no_other_service_depends_on_them()
    {
        var optional = _services.Values.Where(s => s.Profiles?.Contains(Profile) ?? false).Select(s => s.Name).ToList();

        Assert.Equal(["prometheus"], optional);
        Assert.Empty(_services.Values
            .Where(s => !optional.Contains(s.Name))
            .SelectMany(s => s.DependsOn.Keys.Where(optional.Contains).Select(d => $"{s.Name} depends on {d}")));
    }

    [Fact]
    public void Prometheus_scrapes_every_silo_where_its_health_endpoints_listen()
    {
        var silos = _services.Values.Where(s => SiloName().IsMatch(s.Name)).ToList();
        var expected = silos.Select(s => $"{s.Name}:{new Uri(s.EffectiveEnvironment()["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port}");

        Assert.NotEmpty(silos);
        Assert.Equal(expected.Order(StringComparer.Ordinal), ScrapeTargets("orleanscqrs-silos").Order(StringComparer.Ordinal));
    }

    private static List<string> ScrapeTargets(string job)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(Repository.SiloConfig, "observability", "prometheus.yml")))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var jobs = (YamlSequenceNode)root.Children[new YamlScalarNode("scrape_configs")];
        var found = jobs.Children.Cast<YamlMappingNode>().Single(j => ((YamlScalarNode)j.Children[new YamlScalarNode("job_name")]).Value == job);
        Assert.Equal("/metrics", ((YamlScalarNode)found.Children[new YamlScalarNode("metrics_path")]).Value);
        return ((YamlSequenceNode)found.Children[new YamlScalarNode("static_configs")]).Children.Cast<YamlMappingNode>()
            .SelectMany(c => ((YamlSequenceNode)c.Children[new YamlScalarNode("targets")]).Children.Select(t => ((YamlScalarNode)t).Value!))
            .ToList();
    }

    [GeneratedRegex("^silo[0-9]+$")]
    private static partial Regex SiloName();
}
