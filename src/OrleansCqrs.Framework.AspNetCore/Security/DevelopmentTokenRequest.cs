namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>What <c>POST /api/dev/token</c> takes: a customer to act for, roles, or both.</summary>
public sealed record DevelopmentTokenRequest(string? CustomerId, IReadOnlyList<string>? Roles);
