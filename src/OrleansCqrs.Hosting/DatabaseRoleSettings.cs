namespace OrleansCqrs.Hosting;

/// <summary>
/// The PostgreSQL roles the <c>migrate</c> command creates and grants (<c>OrleansCqrs:Roles:Silo</c>, ...), so that
/// silos and front ends connect with only the privileges they use. A role left empty is not touched; a password file
/// left empty keeps the role's password (or its lack of one) as it is. See silo-config/README.md.
/// </summary>
public sealed class DatabaseRoleSettings
{
    /// <summary>The role silos connect as: appends and reads of the event log, Orleans' tables, our read models.</summary>
    public string? Silo { get; set; }

    /// <summary>A file holding the silo role's password (one line; a trailing newline is ignored).</summary>
    public string? SiloPasswordFile { get; set; }

    /// <summary>The role front ends connect as: the Orleans client's gateway list, nothing else.</summary>
    public string? FrontEnd { get; set; }

    /// <summary>A file holding the front-end role's password.</summary>
    public string? FrontEndPasswordFile { get; set; }
}
