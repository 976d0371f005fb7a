using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace OrleansCqrs.Framework.Migrations;

/// <summary>One versioned schema change, applied once per database. Ids sort in the order they must run.</summary>
public sealed record Migration(string Id, string Sql)
{
    /// <summary>
    /// SHA-256 of the SQL with line endings normalised (a checkout with CRLF is the same migration), kept in the
    /// journal so that an applied migration edited later is noticed.
    /// </summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The .sql files embedded in <paramref name="assembly"/> under the folder <paramref name="folder"/>.</summary>
    public static IReadOnlyList<Migration> FromEmbeddedScripts(Assembly assembly, string folder)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var prefix = $"{assembly.GetName().Name}.{folder.Replace('/', '.')}.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return new Migration($"{folder}/{name[prefix.Length..^".sql".Length]}", reader.ReadToEnd());
            })
            .ToList();
    }
}
