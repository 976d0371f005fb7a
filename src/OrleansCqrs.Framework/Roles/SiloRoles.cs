namespace OrleansCqrs.Framework.Roles;

/// <summary>How a role is written in configuration and silo metadata, and which roles host which side.</summary>
public static class SiloRoles
{
    /// <summary>The silo metadata key each silo publishes its role under (Orleans' <c>UseSiloMetadata</c>).</summary>
    public const string MetadataKey = "orleanscqrs-role";

    /// <summary>The spellings accepted, for error messages.</summary>
    public const string Allowed = "all, write, read";

    /// <summary>Whether a silo of role <paramref name="silo"/> hosts grains of side <paramref name="side"/>.</summary>
    public static bool Hosts(this SiloRole silo, SiloRole side) => silo == SiloRole.All || silo == side || side == SiloRole.All;

    /// <summary>The lower-case name (<c>write</c>), as configured and published.</summary>
    public static string Name(this SiloRole role) => role switch
    {
        SiloRole.Write => "write",
        SiloRole.Read => "read",
        _ => "all",
    };

    /// <summary>
    /// Parses a configured or published role by name only, case-insensitively: a number or an unknown word is refused
    /// (an enum parse would take "7").
    /// </summary>
    public static bool TryParse(string? text, out SiloRole role)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "ALL":
                role = SiloRole.All;
                return true;
            case "WRITE":
                role = SiloRole.Write;
                return true;
            case "READ":
                role = SiloRole.Read;
                return true;
            default:
                role = SiloRole.All;
                return false;
        }
    }
}
