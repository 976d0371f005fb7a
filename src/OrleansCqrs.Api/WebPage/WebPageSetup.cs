using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.WebPage;

/// <summary>
/// The web page (wwwroot: static HTML, CSS and ES modules, no build step) at <c>/</c>, and <see cref="ConfigPath"/>,
/// which tells it how a visitor signs in. The files are public; every piece of data they show comes from the API,
/// behind its tokens.
/// </summary>
public static class WebPageSetup
{
    /// <summary>How the page signs in, read by the page before anything else; outside /api, undocumented in OpenAPI.</summary>
    public const string ConfigPath = "/page/config";

    /// <summary>The OpenID Connect client the page signs in as (authorization code + PKCE), when an authority is set.</summary>
    public const string ClientIdKey = "OrleansCqrs:Web:ClientId";

    /// <summary>The scopes the page asks the provider for; <c>openid</c> when unset.</summary>
    public const string ScopeKey = "OrleansCqrs:Web:Scope";

    /// <summary>
    /// Before authentication, so a file costs no token check: the page is public, the API it calls is not. Each file
    /// carries a strict Content-Security-Policy (the page has no inline script or style, and talks only to its own
    /// origin and the OpenID Connect authority), so an injected script could neither run nor send data elsewhere.
    /// </summary>
    public static WebApplication UseWebPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var policy = ContentSecurityPolicy(Auth(app.Configuration).Authority);
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Small files that change with each release: the browser asks again, and gets 304 while unchanged.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    public static IEndpointRouteBuilder MapWebPage(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(ConfigPath, Config).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static string ContentSecurityPolicy(string? authority)
    {
        var connect = "'self'";
        if (Uri.TryCreate(authority, UriKind.Absolute, out var uri))
        {
            // The page fetches the provider's discovery document and exchanges its code at the token endpoint.
            connect += " " + uri.GetLeftPart(UriPartial.Authority);
        }

        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src {connect}; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static PageConfig Config(IServiceProvider services, IConfiguration configuration)
    {
        var auth = Auth(configuration);
        var clientId = configuration.GetValue<string>(ClientIdKey);
        return new PageConfig(
            services.GetService<DevelopmentTokens>() is not null,
            string.IsNullOrWhiteSpace(auth.Authority) ? null : auth.Authority,
            string.IsNullOrWhiteSpace(clientId) ? null : clientId,
            configuration.GetValue<string>(ScopeKey) ?? "openid",
            auth.CustomerClaim,
            auth.RoleClaim,
            OrleansCqrsSettings.From(configuration).Telemetry is { DashboardEnabled: true } telemetry ? telemetry.DashboardPath : null);
    }

    private static AuthSettings Auth(IConfiguration configuration) =>
        configuration.GetSection(AuthSettings.SectionName).Get<AuthSettings>() ?? new AuthSettings();
}
