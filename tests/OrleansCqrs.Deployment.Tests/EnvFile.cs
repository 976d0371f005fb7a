namespace OrleansCqrs.Deployment.Tests;

/// <summary>
/// The variables of an env file as docker compose's <c>env_file</c> and a shell's <c>set -a; . file</c> both read the
/// simple files of silo-config/: <c>KEY=value</c> lines, <c>#</c> comments, values optionally in matching quotes.
/// </summary>
internal static class EnvFile
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, number) in File.ReadAllLines(path).Select((line, index) => (line.Trim(), index + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{path}:{number} is not KEY=value: {line}");
            }

            variables[line[..equals].Trim()] = Unquote(line[(equals + 1)..].Trim());
        }

        return variables;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
