using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrleansCqrs.Deployment.Tests;

/// <summary>A port a service publishes on the host: <c>[host_ip:]published:target</c> or the long syntax.</summary>
internal sealed record PublishedPort(string? HostIp, string? Published, string Target);

/// <summary>One service of docker-compose.yml, with YAML merge keys (<c>&lt;&lt;: *silo</c>) applied.</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    bool Builds,
    string? NetworkMode,
    IReadOnlyList<string> EnvFiles,
    IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyList<PublishedPort> Ports,
    IReadOnlyDictionary<string, string> DependsOn,
    IReadOnlyList<string>? HealthcheckTest,
    string? StopGracePeriod,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string>? Profiles = null)
{
    public override string ToString() => Name;

    /// <summary>
    /// What the process sees: the env files in order, then <c>environment</c>, which wins (as in compose). A variable
    /// listed without a value would come from the host; it has none here.
    /// </summary>
    public IReadOnlyDictionary<string, string> EffectiveEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in EnvFiles)
        {
            foreach (var (key, value) in EnvFile.Read(Path.Combine(Repository.Root, file)))
            {
                variables[key] = value;
            }
        }

        foreach (var (key, value) in Environment)
        {
            if (value is null)
            {
                variables.Remove(key);
            }
            else
            {
                variables[key] = value;
            }
        }

        return variables;
    }
}

/// <summary>The parts of docker-compose.yml these tests read, in the forms the Compose specification allows.</summary>
internal static class ComposeFile
{
    public static IReadOnlyDictionary<string, ComposeService> LoadServices(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)ResolveMerges(stream.Documents.Single().RootNode);
        var services = Child(root, "services") as YamlMappingNode
            ?? throw new InvalidOperationException($"{path} has no services.");
        return services.Children.ToDictionary(
            entry => Text(entry.Key)!,
            entry => Service(Text(entry.Key)!, (YamlMappingNode)entry.Value),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Applies YAML merge keys as compose does: a mapping gets the keys of the mappings it merges (<c>&lt;&lt;: *a</c> or
    /// <c>&lt;&lt;: [*a, *b]</c>, the first one winning) that it does not set itself.
    /// </summary>
    private static YamlNode ResolveMerges(YamlNode node) => node switch
    {
        YamlMappingNode map => ResolveMerges(map),
        YamlSequenceNode list => new YamlSequenceNode(list.Children.Select(ResolveMerges)),
        _ => node,
    };

    private static YamlMappingNode ResolveMerges(YamlMappingNode map)
    {
        var resolved = new YamlMappingNode();
        foreach (var (key, value) in map.Children.Where(entry => !IsMergeKey(entry.Key)))
        {
            resolved.Add(key, ResolveMerges(value));
        }

        var sources = map.Children.Where(entry => IsMergeKey(entry.Key))
            .SelectMany(entry => entry.Value is YamlSequenceNode list ? list.Children : [entry.Value]);
        foreach (var source in sources)
        {
            var merged = source as YamlMappingNode ?? throw new FormatException($"A merge key at {source.Start} names no mapping.");
            foreach (var (key, value) in ResolveMerges(merged).Children.Where(entry => !resolved.Children.ContainsKey(entry.Key)))
            {
                resolved.Add(key, value);
            }
        }

        return resolved;
    }

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain };

    private static ComposeService Service(string name, YamlMappingNode node) => new(
        name,
        Text(Child(node, "image")),
        Child(node, "build") is not null,
        Text(Child(node, "network_mode")),
        EnvFiles(Child(node, "env_file")),
        Environment(Child(node, "environment")),
        Ports(Child(node, "ports")),
        DependsOn(Child(node, "depends_on")),
        HealthcheckTest(Child(node, "healthcheck")),
        Text(Child(node, "stop_grace_period")),
        Secrets(Child(node, "secrets")),
        Secrets(Child(node, "profiles")));

    /// <summary>The top-level <c>secrets</c>: each name with the file it is read from.</summary>
    public static IReadOnlyDictionary<string, string?> LoadSecrets(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        var secrets = Child((YamlMappingNode)stream.Documents.Single().RootNode, "secrets") as YamlMappingNode ?? new YamlMappingNode();
        return secrets.Children.ToDictionary(
            entry => Text(entry.Key)!,
            entry => entry.Value is YamlMappingNode definition ? Text(Child(definition, "file")) : null,
            StringComparer.Ordinal);
    }

    /// <summary>The secrets a service mounts (at /run/secrets/&lt;name&gt; unless a long-syntax target says otherwise).</summary>
    private static List<string> Secrets(YamlNode? node) => node is YamlSequenceNode list
        ? list.Children.Select(item => item is YamlMappingNode entry ? Text(Child(entry, "target")) ?? Text(Child(entry, "source"))! : Text(item)!).ToList()
        : [];

    private static List<string> EnvFiles(YamlNode? node) => node switch
    {
        null => [],
        YamlScalarNode single => [single.Value!],
        YamlSequenceNode list => list.Children
            .Select(item => item is YamlMappingNode entry ? Text(Child(entry, "path"))! : Text(item)!)
            .ToList(),
        _ => throw new FormatException($"env_file at {node.Start} is neither a path nor a list."),
    };

    private static Dictionary<string, string?> Environment(YamlNode? node)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (node)
        {
            case null:
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    variables[Text(key)!] = Text(value);
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.Select(Text))
                {
                    var equals = item!.IndexOf('=', StringComparison.Ordinal);
                    variables[equals < 0 ? item : item[..equals]] = equals < 0 ? null : item[(equals + 1)..];
                }

                break;
            default:
                throw new FormatException($"environment at {node.Start} is neither a map nor a list.");
        }

        return variables;
    }

    private static List<PublishedPort> Ports(YamlNode? node) =>
        node is YamlSequenceNode list ? list.Children.Select(Port).ToList() : [];

    private static PublishedPort Port(YamlNode node)
    {
        if (node is YamlMappingNode entry)
        {
            return new PublishedPort(Text(Child(entry, "host_ip")), Text(Child(entry, "published")), Text(Child(entry, "target"))!);
        }

        var parts = Text(node)!.Split('/')[0].Split(':');
        return parts.Length switch
        {
            1 => new PublishedPort(null, null, parts[0]),
            2 => new PublishedPort(null, parts[0], parts[1]),
            3 => new PublishedPort(parts[0], parts[1], parts[2]),
            _ => throw new FormatException($"Port {Text(node)} at {node.Start} is not [host_ip:]published:target."),
        };
    }

    private static Dictionary<string, string> DependsOn(YamlNode? node) => node switch
    {
        null => [],
        YamlSequenceNode list => list.Children.ToDictionary(item => Text(item)!, _ => "service_started", StringComparer.Ordinal),
        YamlMappingNode map => map.Children.ToDictionary(
            entry => Text(entry.Key)!,
            entry => Text(Child((YamlMappingNode)entry.Value, "condition")) ?? "service_started",
            StringComparer.Ordinal),
        _ => throw new FormatException($"depends_on at {node.Start} is neither a list nor a map."),
    };

    /// <summary>The command of the health check, or null if there is none or it is disabled.</summary>
    private static List<string>? HealthcheckTest(YamlNode? node)
    {
        if (node is not YamlMappingNode check
            || string.Equals(Text(Child(check, "disable")), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        List<string> test = Child(check, "test") switch
        {
            YamlSequenceNode list => list.Children.Select(item => Text(item)!).ToList(),
            YamlScalarNode shell => ["CMD-SHELL", shell.Value!],
            _ => [],
        };
        return test.Count == 0 || test[0] == "NONE" ? null : test;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlNode? node) =>
        node is YamlScalarNode scalar && !(scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null")
            ? scalar.Value
            : null;

    /// <summary>A compose duration (<c>40s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
    public static TimeSpan Duration(string text)
    {
        var total = TimeSpan.Zero;
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var digits = rest.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
            var unit = new string(rest.Skip(digits).TakeWhile(char.IsAsciiLetter).ToArray());
            if (digits == 0 || unit.Length == 0)
            {
                throw new FormatException($"{text} is not a compose duration.");
            }

            var amount = double.Parse(rest[..digits], CultureInfo.InvariantCulture);
            total += unit switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" => TimeSpan.FromMicroseconds(amount),
                _ => throw new FormatException($"{text} has an unknown unit {unit}."),
            };
            rest = rest[(digits + unit.Length)..];
        }

        return total;
    }
}
