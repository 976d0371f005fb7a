namespace OrleansCqrs.Framework.EventStore;

/// <summary>An event as the store keeps it: a stable type name and JSON for its data and metadata.</summary>
public sealed record EventData(string Type, string Data, string Metadata);
