using System.Globalization;

namespace OrleansCqrs.Framework.Events;

/// <summary>
/// A stored event type name split into what stays (the stable name) and what changes (the version):
/// <c>bank.account.opened.v2</c> is version 2 of <c>bank.account.opened</c>.
/// </summary>
public readonly record struct EventTypeName(string Name, int Version)
{
    /// <summary>Reads <c>name.vN</c>; anything else is refused, so every stored name says which version it holds.</summary>
    public static EventTypeName Parse(string storedName) =>
        TryParse(storedName, out var parsed)
            ? parsed
            : throw new ArgumentException($"The event type name '{storedName}' has no version: write it as '<name>.v<version>', e.g. 'shop.order.placed.v1'.", nameof(storedName));

    public static bool TryParse(string? storedName, out EventTypeName parsed)
    {
        parsed = default;
        var dot = storedName?.LastIndexOf(".v", StringComparison.Ordinal) ?? -1;
        if (dot < 1
            || !int.TryParse(storedName.AsSpan(dot + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || version < 1)
        {
            return false;
        }

        parsed = new EventTypeName(storedName![..dot], version);
        return true;
    }

    public override string ToString() => $"{Name}.v{Version.ToString(CultureInfo.InvariantCulture)}";
}
