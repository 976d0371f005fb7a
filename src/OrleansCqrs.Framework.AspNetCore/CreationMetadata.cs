namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>Endpoint metadata: the command creates an aggregate (so it counts against the creation limit too).</summary>
public sealed class CreationMetadata
{
    public static CreationMetadata Instance { get; } = new();
}
