using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// A silo's role as this silo knows it: its own from the start, another's from the metadata it published or, where that
/// has not arrived, from the silo itself (<see cref="AskAsync"/>). Roles are remembered by silo address, which names one
/// run of a silo, so a role never changes under it: Orleans drops a silo's metadata once it is declared dead, and an
/// operator still wants to see which side died.
/// </summary>
internal sealed class PublishedRoles(ILocalSiloDetails local, LocalSiloRole localRole, ISiloMetadataCache metadata, ISiloRoleClient client)
{
    /// <summary>How long one silo's answer is waited for: a silo slower than that is asked again later.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How often one silo is asked at most while its role stays unknown.</summary>
    public static readonly TimeSpan AskEvery = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<SiloAddress, SiloRole> _known = new();
    private readonly ConcurrentDictionary<SiloAddress, long> _lastAsked = new();

    /// <summary>The role of <paramref name="silo"/>, or null while it has not reached this silo (it joined a moment ago).</summary>
    public SiloRole? RoleOf(SiloAddress silo)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return localRole.Role;
        }

        if (_known.TryGetValue(silo, out var known))
        {
            return known;
        }

        if (metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloRoles.MetadataKey, out var published) && SiloRoles.TryParse(published, out var role))
        {
            _known[silo] = role;
            return role;
        }

        return null;
    }

    /// <summary>
    /// Asks each of <paramref name="silos"/> (the cluster's active silos) whose role is unknown here, and not asked within
    /// <see cref="AskEvery"/>, for it. Orleans' metadata cache fetches a silo's metadata once, when the silo appears in
    /// membership, and after a fetch that fails does not try again before FailureDetectionTimeout + 2 ×
    /// TableRefreshTimeout (about two minutes with Orleans' defaults) and the next membership change: until then this
    /// silo would refuse to place the grains only that silo's side hosts. A silo that does not answer is asked again at
    /// a later call.
    /// </summary>
    /// <returns>The silos whose role is still unknown.</returns>
    public async Task<IReadOnlyList<SiloAddress>> AskAsync(IReadOnlyCollection<SiloAddress> silos)
    {
        var unknown = silos.Where(silo => RoleOf(silo) is null).ToList();
        foreach (var gone in _lastAsked.Keys.Except(silos))
        {
            // Left the cluster without ever answering: nothing more to ask.
            _lastAsked.TryRemove(gone, out _);
        }

        var now = Stopwatch.GetTimestamp();
        await Task.WhenAll(unknown.Where(silo => IsDue(silo, now)).Select(AskOneAsync));
        return [.. unknown.Where(silo => RoleOf(silo) is null)];
    }

    private bool IsDue(SiloAddress silo, long now)
    {
        if (_lastAsked.TryGetValue(silo, out var last) && Stopwatch.GetElapsedTime(last, now) < AskEvery)
        {
            return false;
        }

        _lastAsked[silo] = now;
        return true;
    }

    private async Task AskOneAsync(SiloAddress silo)
    {
        try
        {
            _known[silo] = await client.RoleOf(silo).WaitAsync(AskTimeout);
            _lastAsked.TryRemove(silo, out _);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // Unreachable or gone: asked again at a later call, while membership still says it is active.
        }
    }
}
