namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>A token as an OAuth 2.0 token endpoint answers it: use it as <c>Authorization: Bearer {AccessToken}</c>.</summary>
public sealed record DevelopmentTokenResponse(string AccessToken, string TokenType, int ExpiresIn);
