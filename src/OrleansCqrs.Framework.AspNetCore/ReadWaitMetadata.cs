namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>Endpoint metadata: the read takes minVersion/minPosition and waitMs, and may answer with X-Read-Stale.</summary>
public sealed class ReadWaitMetadata
{
    public static ReadWaitMetadata Instance { get; } = new();
}
