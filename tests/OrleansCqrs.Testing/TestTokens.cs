using OrleansCqrs.Framework.AspNetCore.Security;

namespace OrleansCqrs.Testing;

/// <summary>
/// Bearer tokens for the front ends under test: one key per test run, written to <see cref="KeyFile"/> (given to a
/// front end as <c>OrleansCqrs:Auth:SigningKeyFile</c>), and tokens signed with it as the configured issuer would.
/// </summary>
public sealed class TestTokens
{
    public const string SigningKeyFileSetting = "OrleansCqrs:Auth:SigningKeyFile";
    public const string SigningKeyFileVariable = "OrleansCqrs__Auth__SigningKeyFile";
    public const string OperatorRole = "operator";

    private static readonly Lazy<TestTokens> SharedTokens = new(() => new TestTokens());
    private readonly TokenIssuer _issuer;

    private TestTokens()
    {
        var folder = Directory.CreateTempSubdirectory("orleanscqrs-tokens-").FullName;
        KeyFile = Path.Combine(folder, "signing-key");
        _issuer = new TokenIssuer(SigningKeyFile.Create(KeyFile), new AuthSettings());
    }

    /// <summary>The key of this test run.</summary>
    public static TestTokens Shared => SharedTokens.Value;

    public string KeyFile { get; }

    /// <summary>Staff: may do everything.</summary>
    public string Operator() => _issuer.Create("operator", null, [OperatorRole], TimeSpan.FromHours(1));

    /// <summary>A customer acting for itself (sub = customer_id = <paramref name="customerId"/>).</summary>
    public string Customer(string customerId) => _issuer.Create(customerId, customerId, [], TimeSpan.FromHours(1));

    /// <summary>Any token, signed with this run's key (an expired one, say, with an <paramref name="issuedAt"/> in the past).</summary>
    public string Create(string subject, string? customerId, IReadOnlyCollection<string> roles, TimeSpan lifetime, DateTimeOffset? issuedAt = null) =>
        _issuer.Create(subject, customerId, roles, lifetime, issuedAt);
}
