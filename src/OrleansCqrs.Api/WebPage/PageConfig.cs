namespace OrleansCqrs.Api.WebPage;

/// <summary>
/// How the page signs a visitor in: through the development issuer when it is on; through the OpenID Connect
/// <paramref name="Authority"/> (as <paramref name="ClientId"/>, authorization code + PKCE) when both are set; else by a
/// pasted bearer token. The claim names tell it whom a token acts for.
/// </summary>
public sealed record PageConfig(bool DevelopmentTokens, string? Authority, string? ClientId, string Scope, string CustomerClaim, string RoleClaim, string? Dashboard);
