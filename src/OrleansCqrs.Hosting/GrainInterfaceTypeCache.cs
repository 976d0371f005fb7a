using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace OrleansCqrs.Hosting;

/// <summary>
/// Remembers which <see cref="GrainInterfaceType"/> each grain interface has. Orleans works it out again on every
/// <c>GetGrain</c> and <c>AsReference</c>: it reads the interface's attributes by reflection, then formats its type
/// name. Every command and query gets a grain reference, most of them more than one, and in a profile of a loaded
/// silo that work took about 4% of the process's time. The answer never changes for a type, so it is worked out once,
/// by the same providers and conventions, and kept.
/// </summary>
/// <remarks>
/// Orleans asks its <see cref="IGrainInterfaceTypeProvider"/>s in the order they were registered, and this one is
/// registered first (<see cref="GrainInterfaceTypes.CacheGrainInterfaceTypes"/>): it answers every interface, asking
/// the others behind it the first time.
/// </remarks>
internal sealed class GrainInterfaceTypeCache(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private GrainInterfaceTypeResolver? _resolver;

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        grainInterfaceType = _known.GetOrAdd(type, static (type, cache) => cache.Resolver.GetGrainInterfaceType(type), this);
        return true;
    }

    // Orleans' own resolver over every provider but this one: the answer Orleans would give without the cache.
    private GrainInterfaceTypeResolver Resolver => _resolver ??= new GrainInterfaceTypeResolver(
        services.GetServices<IGrainInterfaceTypeProvider>().Where(provider => !ReferenceEquals(provider, this)),
        services.GetRequiredService<TypeConverter>());
}
