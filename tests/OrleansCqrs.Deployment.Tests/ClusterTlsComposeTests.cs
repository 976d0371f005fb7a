using Microsoft.Extensions.Configuration;
using OrleansCqrs.Hosting;
using YamlDotNet.RepresentationModel;

namespace OrleansCqrs.Deployment.Tests;

/// <summary>
/// Compose runs the cluster's mutual TLS as silo-config/README.md describes it: every silo and front end has TLS on,
/// and each file its settings name is a secret the service mounts, made by scripts/cluster-certs.sh outside git.
/// </summary>
public sealed class ClusterTlsComposeTests
{
    private const string SecretsFolder = "/run/secrets/";
    private const string CertificatesFolder = ".cluster-certs/";

    private readonly YamlMappingNode _root = Load();

    public static TheoryData<string, string> Programs => new()
    {
        { "silo1", "silo" },
        { "silo2", "silo" },
        { "silo3", "silo" },
        { "frontend", "frontend" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void Tls_is_on_and_reads_the_certificate_of_its_role_from_secrets_it_mounts(string service, string certificate)
    {
        var services = ComposeFile.LoadServices(Repository.ComposeFile);
        var tls = Bind(services[service].EffectiveEnvironment());
        var mounted = MountedSecrets(service);

        Assert.True(tls.Enabled, $"{service} runs without TLS.");
        var files = new Dictionary<string, string?>
        {
            [$"{certificate}.crt"] = tls.CertificatePath,
            [$"{certificate}.key"] = tls.KeyPath,
            ["ca.crt"] = tls.CaPath,
        };
        Assert.All(files, file =>
        {
            Assert.True(file.Value?.StartsWith(SecretsFolder, StringComparison.Ordinal), $"{service} reads {file.Value}, not a secret.");
            var secret = file.Value![SecretsFolder.Length..];
            Assert.True(mounted.Contains(secret), $"{service} reads the secret {secret} but does not mount it.");
            Assert.Equal($"{CertificatesFolder}{file.Key}", SecretFile(secret));
        });
    }

    [Fact]
    public void No_service_is_given_the_ca_key_and_the_certificates_stay_out_of_git_and_images()
    {
        var secrets = (YamlMappingNode)_root.Children[new YamlScalarNode("secrets")];
        var files = secrets.Children.Keys.Select(key => SecretFile(((YamlScalarNode)key).Value!)).ToList();

        Assert.NotEmpty(files);
        // The certificates come from here; the passwords from scripts/make-secrets.sh (ComposeSecretsTests checks those).
        Assert.Contains(files, file => file.StartsWith(CertificatesFolder, StringComparison.Ordinal));
        Assert.All(files, file => Assert.True(
            file.StartsWith(CertificatesFolder, StringComparison.Ordinal) || file.StartsWith(ComposeSecretsTests.SecretsFolder, StringComparison.Ordinal),
            $"The secret file {file} is neither a certificate of {CertificatesFolder} nor a generated secret of {ComposeSecretsTests.SecretsFolder}."));
        Assert.DoesNotContain($"{CertificatesFolder}ca.key", files);
        Assert.Contains(CertificatesFolder, File.ReadAllLines(Path.Combine(Repository.Root, ".gitignore")));
        Assert.Contains(CertificatesFolder, File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")));
    }

    private static TlsSettings Bind(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), (string?)v.Value)))
            .Build()
            .GetSection($"{OrleansCqrsSettings.SectionName}:Tls")
            .Get<TlsSettings>(options => options.ErrorOnUnknownConfiguration = true) ?? new TlsSettings();

    /// <summary>The secrets a service mounts, its own or from the definition it merges (<c>&lt;&lt;: *silo</c>).</summary>
    private HashSet<string> MountedSecrets(string service)
    {
        var node = (YamlMappingNode)((YamlMappingNode)_root.Children[new YamlScalarNode("services")]).Children[new YamlScalarNode(service)];
        var secrets = Child(node, "secrets")
            ?? (Child(node, "<<") as YamlMappingNode is { } merged ? Child(merged, "secrets") : null);
        return ((secrets as YamlSequenceNode)?.Children ?? [])
            .Select(entry => entry is YamlMappingNode longSyntax ? ((YamlScalarNode)longSyntax.Children[new YamlScalarNode("source")]).Value! : ((YamlScalarNode)entry).Value!)
            .ToHashSet(StringComparer.Ordinal);
    }

    private string SecretFile(string secret)
    {
        var secrets = (YamlMappingNode)_root.Children[new YamlScalarNode("secrets")];
        var definition = Assert.IsType<YamlMappingNode>(Child(secrets, secret));
        return Assert.IsType<YamlScalarNode>(Child(definition, "file")).Value!;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(Repository.ComposeFile))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
