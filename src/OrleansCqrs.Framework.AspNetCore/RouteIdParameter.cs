namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Endpoint metadata: the route parameter <paramref name="Name"/> is an id the endpoint checks itself (its handler
/// reads it from the route, so nothing else tells the OpenAPI document it exists).
/// </summary>
public sealed record RouteIdParameter(string Name);
