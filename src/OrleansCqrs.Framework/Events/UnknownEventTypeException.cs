namespace OrleansCqrs.Framework.Events;

/// <summary>
/// A stored event whose type name is neither a registered event type nor the start of an upcaster chain: the code
/// no longer knows how to read it. Stored events are never rewritten, so the fix is an upcaster (or the old type).
/// </summary>
[GenerateSerializer]
public sealed class UnknownEventTypeException : Exception
{
    public UnknownEventTypeException(string typeName, string? storedAt, string reason)
        : base($"No event type or upcaster reads events stored as '{typeName}'{(storedAt is null ? "" : $" (event {storedAt})")}: {reason}. See docs/event-evolution.md.")
    {
        TypeName = typeName;
    }

    /// <summary>The type name as stored with the event.</summary>
    [Id(0)] public string TypeName { get; }
}
