using System.Reflection;
using OrleansCqrs.Framework.Domains;
using OrleansCqrs.Framework.Projections.Healing;

namespace OrleansCqrs.Hosting;

/// <summary>
/// The domains a silo hosts: an assembly, or the namespace of a domain's <see cref="IDomainModule"/>; its event types,
/// upcasters, stream projections (healed), grain storages and modules are found there (<see cref="DomainCatalog"/>).
/// </summary>
public sealed class OrleansCqrsBuilder
{
    // The framework's own grains (the projection healer) name their storage like any domain's.
    private readonly HashSet<Type> _types = [.. typeof(ProjectionHealer).Assembly.GetTypes()];

    /// <summary>Adds the domain declared in <paramref name="assembly"/> (adding it again changes nothing).</summary>
    public OrleansCqrsBuilder AddDomain(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _types.UnionWith(assembly.GetTypes());
        return this;
    }

    /// <summary>
    /// Adds the domain whose module is <typeparamref name="TModule"/>: the types of its assembly in its namespace and
    /// below (so a test assembly can hold several domains side by side).
    /// </summary>
    public OrleansCqrsBuilder AddDomain<TModule>()
        where TModule : IDomainModule
    {
        var root = typeof(TModule).Namespace ?? "";
        _types.UnionWith(typeof(TModule).Assembly.GetTypes().Where(t => InNamespace(t, root)));
        return this;
    }

    internal DomainCatalog Build() => new(_types);

    private static bool InNamespace(Type type, string root) =>
        root.Length == 0 || type.Namespace is { } ns && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));
}
