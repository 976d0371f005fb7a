using System.ComponentModel.DataAnnotations;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// The <c>OrleansCqrs:Auth</c> section: which bearer tokens the API accepts (environment: <c>OrleansCqrs__Auth__Audience</c>, ...).
/// A token is accepted when an OpenID Connect provider at <see cref="Authority"/> signed it, or when it is signed
/// HS256 with the key in <see cref="SigningKeyFile"/> (or the development key), and its issuer and audience match.
/// </summary>
public sealed class AuthSettings
{
    public const string SectionName = "OrleansCqrs:Auth";

    /// <summary>
    /// Whether callers must authenticate (the default). Off, the API has no authentication at all and every request
    /// is a trusted caller: for measuring what authentication costs, on a machine of one's own; refused at start-up
    /// unless the app listens on loopback only.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An OpenID Connect provider whose discovery document and signing keys are fetched (https unless <see cref="RequireHttpsMetadata"/> is false).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>iss</c> a token must carry.</summary>
    public string Issuer { get; set; } = "orleanscqrs";

    /// <summary>The <c>aud</c> a token must carry.</summary>
    public string Audience { get; set; } = "orleanscqrs";

    /// <summary>A file holding a base64 HMAC-SHA256 key (at least 32 bytes, one line): tokens signed HS256 with it are accepted.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The claim naming the customer (the party) a caller acts for.</summary>
    public string CustomerClaim { get; set; } = "customer_id";

    /// <summary>The claim holding the caller's roles (repeated, or a JSON array).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>
    /// Whether <c>POST /api/dev/token</c> hands out tokens to anyone who asks. Unset: the host's default (on in the
    /// embedded mode, off in a cluster). Refused at start-up unless the app listens on loopback only.
    /// </summary>
    public bool? DevelopmentTokens { get; set; }

    /// <summary>How far a token's times may be off (clocks of the issuer and this host differ a little).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the <see cref="Authority"/> must be reached over https (false only for a provider on a development machine).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
