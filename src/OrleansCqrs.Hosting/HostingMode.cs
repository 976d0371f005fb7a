namespace OrleansCqrs.Hosting;

/// <summary>How a front end reaches its grains.</summary>
public enum HostingMode
{
    /// <summary>One process: the front end co-hosts a silo with localhost clustering. The default.</summary>
    Embedded,

    /// <summary>The front end is a grain client of a cluster of silo processes found through PostgreSQL.</summary>
    Cluster,
}
