using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Hands the event stream's queues to the silos that host the read side, where the projections the pulling agents
/// deliver to live: queue i goes to the i-th of those silos modulo their number, in silo-address order, so silos that
/// know the same roles compute the same split. On a write silo an agent would only forward every delivery to a read
/// silo, a remote call per event and consumer, and with no read silo up it could deliver nothing at all.
/// </summary>
/// <remarks>
/// Orleans' default balancer splits the queues by the silos' places on its consistent hash ring, blind to roles: from
/// one start to the next a write silo pulled none of the four queues, or most of them. While no active silo is known to
/// host the read side (every read silo down, or their roles not arrived yet), nobody pulls: published events wait in
/// their queue grains (up to Orleans' limit per queue; past it a publish fails and the healer delivers from the log)
/// and the first read silo to come pulls them. Silos that briefly disagree about the roles may pull a queue twice;
/// projections apply each event once, in order, whoever delivers it.
/// </remarks>
internal sealed partial class ReadSideQueueBalancer : QueueBalancerBase
{
    private static readonly TimeSpan RoleCheck = TimeSpan.FromSeconds(1);

    private readonly IClusterMembershipService _membership;
    private readonly PublishedRoles _roles;
    private readonly Lock _gate = new();
    private QueueId[] _queues = [];
    private SiloAddress[] _pullers = [];
    private Task _watch = Task.CompletedTask;

    public ReadSideQueueBalancer(IServiceProvider services, IClusterMembershipService membership, PublishedRoles roles, ILogger<ReadSideQueueBalancer> logger)
        : base(services, logger)
    {
        _membership = membership;
        _roles = roles;
    }

    /// <summary>For <c>ConfigurePartitionBalancing</c>.</summary>
    public static IStreamQueueBalancer Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<ReadSideQueueBalancer>(services);

    public override Task Initialize(IStreamQueueMapper queueMapper)
    {
        ArgumentNullException.ThrowIfNull(queueMapper);
        _queues = [.. queueMapper.GetAllQueues().OrderBy(q => q.ToString(), StringComparer.Ordinal)];
        lock (_gate)
        {
            _pullers = Pullers();
        }

        // A role arrives with a silo's metadata, after the membership change that brought the silo: checked apart.
        _watch = WatchRolesAsync();
        return base.Initialize(queueMapper);
    }

    public override IEnumerable<QueueId> GetMyQueues()
    {
        SiloAddress[] pullers;
        lock (_gate)
        {
            pullers = _pullers = Pullers();
        }

        return QueuesOf(SiloAddress, pullers, _queues);
    }

    public override async Task Shutdown()
    {
        await base.Shutdown();
        await _watch;
    }

    /// <summary>The queues <paramref name="silo"/> pulls when <paramref name="pullers"/> share <paramref name="queues"/>.</summary>
    private static IReadOnlyList<QueueId> QueuesOf(SiloAddress silo, SiloAddress[] pullers, QueueId[] queues)
    {
        var index = Array.IndexOf(pullers, silo);
        return index < 0 ? [] : [.. queues.Where((_, i) => i % pullers.Length == index)];
    }

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos) => _ = NotifyIfChangedAsync();

    /// <summary>The active silos known to host the read side, in address order.</summary>
    private SiloAddress[] Pullers() =>
    [
        .. _membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && _roles.RoleOf(member.SiloAddress) is { } role && role.Hosts(SiloRole.Read))
            .Select(member => member.SiloAddress)
            .Order(),
    ];

    private async Task WatchRolesAsync()
    {
        using var timer = new PeriodicTimer(RoleCheck);
        try
        {
            while (await timer.WaitForNextTickAsync(Cancellation))
            {
                await NotifyIfChangedAsync();
            }
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>Tells the pulling manager to ask again, if the silos that pull have changed since it last asked.</summary>
    private async Task NotifyIfChangedAsync()
    {
        try
        {
            bool changed;
            lock (_gate)
            {
                changed = !_pullers.SequenceEqual(Pullers());
            }

            if (changed)
            {
                await NotifyListeners();
            }
        }
        catch (Exception exception) when (!Cancellation.IsCancellationRequested)
        {
            LogNotifyFailed(Logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand the event stream's queues over to the silos that now pull them")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
