namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>What the host tells <see cref="CqrsAuthentication.AddCqrsAuthentication"/> besides the configuration.</summary>
public sealed class CqrsAuthenticationOptions
{
    /// <summary>Whether development tokens are on when <see cref="AuthSettings.DevelopmentTokens"/> is unset.</summary>
    public bool DevelopmentTokensByDefault { get; set; }

    /// <summary>The data folder (absolute) that keeps the generated development signing key, <c>dev-signing-key</c>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The roles the domain knows: the development issuer hands out these and no others.</summary>
    public IReadOnlyList<string> Roles { get; set; } = [];
}
