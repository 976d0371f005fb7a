namespace OrleansCqrs.Framework.EventStore;

/// <summary>A committed event with its place in its stream (version, from 1) and in the global log (position).</summary>
public sealed record RecordedEvent(string StreamId, long Version, long Position, string Type, string Data, string Metadata);
