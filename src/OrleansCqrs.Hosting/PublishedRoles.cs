using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansCqrs.Framework.Roles;

namespace OrleansCqrs.Hosting;

/// <summary>A silo's role as this silo knows it: its own from the start, another's from the metadata it published.</summary>
internal sealed class PublishedRoles(ILocalSiloDetails local, LocalSiloRole localRole, ISiloMetadataCache metadata)
{
    /// <summary>The role of <paramref name="silo"/>, or null while its metadata has not arrived here (it joined a moment ago).</summary>
    public SiloRole? RoleOf(SiloAddress silo)
    {
        if (silo.Equals(local.SiloAddress))
        {
            return localRole.Role;
        }

        return metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloRoles.MetadataKey, out var published) && SiloRoles.TryParse(published, out var role)
            ? role
            : null;
    }
}
