using Microsoft.Extensions.DependencyInjection;

namespace OrleansCqrs.Hosting;

/// <summary>Grain references without Orleans' per-call reflection.</summary>
public static class GrainInterfaceTypes
{
    /// <summary>
    /// Remembers each grain interface's <see cref="GrainInterfaceType"/> instead of working it out on every
    /// <c>GetGrain</c>. <c>AddOrleansCqrs</c> and <c>UseOrleansCqrsCluster</c> call it; call it on a grain client set up
    /// otherwise. Registered ahead of every other grain interface type provider, whenever those are registered.
    /// </summary>
    public static IServiceCollection CacheGrainInterfaceTypes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ImplementationType == typeof(GrainInterfaceTypeCache)))
        {
            return services;
        }

        var firstProvider = services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(IGrainInterfaceTypeProvider));
        services.Insert(firstProvider is null ? 0 : services.IndexOf(firstProvider), ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, GrainInterfaceTypeCache>());
        return services;
    }
}
