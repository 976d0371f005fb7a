using System.Collections.Concurrent;

namespace OrleansCqrs.Bank.Tests.Roles;

/// <summary>
/// Records which grain interfaces each silo calls from outside any grain: the calls of its silo services (the keepers
/// of the healer and the process resumer, the ledger warm-up), which run only on the side they serve.
/// </summary>
public sealed class KeeperCalls(ILocalSiloDetails silo) : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(SiloAddress Silo, Type Interface), byte> Seen = new();

    /// <summary>The grain interfaces <paramref name="caller"/> called from outside a grain.</summary>
    public static IReadOnlyList<Type> From(SiloAddress caller) => [.. Seen.Keys.Where(k => k.Silo.Equals(caller)).Select(k => k.Interface)];

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SourceContext is null && context.InterfaceMethod?.DeclaringType is { } called)
        {
            Seen.TryAdd((silo.SiloAddress, called), 0);
        }

        return context.Invoke();
    }
}
