using Microsoft.AspNetCore.Builder;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>
/// Endpoint metadata: the endpoint takes an <c>Idempotency-Key</c> header, which its handler reads itself
/// (<see cref="FieldChecks.IdempotencyKey"/>), so nothing else tells the OpenAPI document it exists.
/// </summary>
public sealed class IdempotencyKeyParameter
{
    public static IdempotencyKeyParameter Instance { get; } = new();
}

public static class IdempotencyKeyParameterExtensions
{
    /// <summary>Documents the <c>Idempotency-Key</c> header the endpoint reads with <see cref="FieldChecks.IdempotencyKey"/>.</summary>
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(IdempotencyKeyParameter.Instance);
}
