using System.Collections.Concurrent;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>
/// A silo's role as this silo knows it: its own from the start, another's from the metadata it published. Roles seen
/// are remembered by silo address (which names one run of a silo, so a role never changes under it): Orleans drops a
/// silo's metadata once it is declared dead, and an operator still wants to see which side died.
/// </summary>
internal sealed class PublishedRoles(ILocalSiloDetails local, LocalSiloRole localRole, ISiloMetadataCache metadata)
{
    private readonly ConcurrentDictionary<SiloAddress, SiloRole> _seen = new();

    /// <summary>The role of <paramref name="silo"/>, or null while its metadata has not arrived here (it joined a moment ago).</summary>
    public SiloRole? RoleOf(SiloAddress silo)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return localRole.Role;
        }

        if (metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloRoles.MetadataKey, out var published) && SiloRoles.TryParse(published, out var role))
        {
            _seen[silo] = role;
            return role;
        }

        return _seen.TryGetValue(silo, out var remembered) ? remembered : null;
    }
}
