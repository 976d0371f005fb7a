using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansCqrs.Framework.AspNetCore.Limits;

namespace OrleansCqrs.Api.Tests.Limits;

/// <summary>
/// A test-only authentication scheme: a request with <see cref="Header"/> is a principal with that <c>sub</c>, one
/// without is anonymous. It stands in for bearer tokens so that the limits per principal can be tested on their own;
/// <see cref="ClientFor"/> is the one place to switch to real tokens.
/// </summary>
public sealed class SubjectHeader(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestSubject";
    public const string Header = "X-Test-Subject";

    /// <summary>Registers the scheme as the host's default.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, SubjectHeader>(SchemeName, null);

    /// <summary>A client whose every request is made by <paramref name="subject"/>.</summary>
    public static HttpClient ClientFor(ApiHost host, string subject)
    {
        ArgumentNullException.ThrowIfNull(host);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add(Header, subject);
        return client;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[Header] is not [{ Length: > 0 } subject])
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(Callers.SubjectClaim, subject)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
