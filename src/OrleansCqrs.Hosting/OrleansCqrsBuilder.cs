using System.Reflection;
using OrleansCqrs.Framework.Domains;
using OrleansCqrs.Framework.Projections.Healing;

namespace OrleansCqrs.Hosting;

/// <summary>
/// The domains a silo hosts. Each is added once, as an assembly: its event types, stream projections (healed),
/// grain storages and <see cref="IDomainModule"/> are found in it (<see cref="DomainCatalog"/>).
/// </summary>
public sealed class OrleansCqrsBuilder
{
    // The framework's own grains (the projection healer) name their storage like any domain's.
    private readonly List<Assembly> _assemblies = [typeof(ProjectionHealer).Assembly];

    /// <summary>Adds the domain declared in <paramref name="assembly"/> (adding it again changes nothing).</summary>
    public OrleansCqrsBuilder AddDomain(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>Adds the domain whose module is <typeparamref name="TModule"/>: the whole assembly that declares it.</summary>
    public OrleansCqrsBuilder AddDomain<TModule>()
        where TModule : IDomainModule => AddDomain(typeof(TModule).Assembly);

    internal DomainCatalog Build() => new(_assemblies);
}
