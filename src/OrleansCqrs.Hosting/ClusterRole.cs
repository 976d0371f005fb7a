namespace OrleansCqrs.Hosting;

/// <summary>
/// What a cluster certificate lets its holder be, by its extended key usages: a silo serves (server authentication)
/// and calls its peers (client authentication); a front end only calls gateways (client authentication).
/// </summary>
public enum ClusterRole
{
    Silo,
    FrontEnd,
}
