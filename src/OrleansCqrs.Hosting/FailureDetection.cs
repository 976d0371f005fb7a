using Orleans.Configuration;

namespace OrleansCqrs.Hosting;

/// <summary>
/// How fast a cluster notices a silo that died without saying goodbye (SIGKILL, power loss). Every silo probes the
/// others every <see cref="ProbeTimeout"/>; after <see cref="MissedProbes"/> missed probes it suspects the silo, and
/// two suspicions (or one, when only one other silo is left) declare it dead. Until then calls to grains on the dead
/// silo fail, so detection time bounds how long commands fail: about ProbeTimeout × MissedProbes. Orleans' defaults
/// (5 s × 3) are tuned for large, busy clusters; ours trade a little more probe traffic for a third of the outage.
/// </summary>
public static class FailureDetection
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public const int MissedProbes = 3;

    /// <summary>How often a front end re-reads the gateway list (Orleans' default: 1 minute).</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long a front end waits for any reply: the longest read wait (10 s) with room to spare.</summary>
    public static readonly TimeSpan ClientResponseTimeout = TimeSpan.FromSeconds(15);

    public static void Configure(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = MissedProbes;
        // Heartbeats in the table let a silo that starts while another is down vote it out quickly too.
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
