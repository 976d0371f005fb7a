namespace OrleansCqrs.Framework.Roles;

/// <summary>
/// No silo of the role a grain needs is up (every read silo is down, say): the call fails at once rather than wait.
/// The front end answers 503 with Retry-After; a retry succeeds once a silo of that role has joined.
/// </summary>
[GenerateSerializer]
public sealed class SiloRoleUnavailableException : Exception
{
    public SiloRoleUnavailableException(string message)
        : base(message)
    {
    }

    public SiloRoleUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public SiloRoleUnavailableException(string message, bool rolesArriving)
        : base(message)
    {
        RolesArriving = rolesArriving;
    }

    /// <summary>
    /// The refusing silo did not yet know the role of some active silos (one joined a moment ago): a silo of the role
    /// may be among them, and the call is worth sending again within moments (the front end does).
    /// </summary>
    [Id(0)]
    public bool RolesArriving { get; }
}
