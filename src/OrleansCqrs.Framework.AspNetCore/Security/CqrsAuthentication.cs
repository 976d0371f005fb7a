using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// Authentication for an OrleansCqrs API, opt-in: JWT bearer tokens configured by <c>OrleansCqrs:Auth</c>
/// (<see cref="AuthSettings"/>), every endpoint closed to anonymous callers unless marked otherwise, 401 and 403
/// answered as ProblemDetails, the caller mapped to the <see cref="Aggregates.Actor"/> commands carry, and the
/// development token issuer when it is on.
/// </summary>
public static class CqrsAuthentication
{
    public static IServiceCollection AddCqrsAuthentication(this IServiceCollection services, IConfiguration configuration, Action<CqrsAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = configuration.GetSection(AuthSettings.SectionName).Get<AuthSettings>() ?? new AuthSettings();
        var options = new CqrsAuthenticationOptions();
        configure?.Invoke(options);

        if (!settings.Enabled)
        {
            if (LoopbackOnly.NonLoopbackAddresses(configuration) is [_, ..] reachable)
            {
                throw new InvalidOperationException(
                    $"{AuthSettings.SectionName}:Enabled is false, so anyone who reaches the API could move any money, but the app listens on {string.Join(", ", reachable)}. "
                    + "Authentication may be off only on loopback (http://127.0.0.1:PORT), to measure what it costs.");
            }

            // Nothing authenticates, so an endpoint's authorization metadata (an operator policy, say) cannot be met
            // or refused: with authentication off every caller is trusted, and those endpoints are open too.
            services.Configure<RouteOptions>(routing => routing.SuppressCheckForUnhandledSecurityMetadata = true);
            return services;
        }

        var developmentTokens = settings.DevelopmentTokens ?? options.DevelopmentTokensByDefault;
        if (developmentTokens && LoopbackOnly.NonLoopbackAddresses(configuration) is [_, ..] exposed)
        {
            throw new InvalidOperationException(
                $"{AuthSettings.SectionName}:DevelopmentTokens is on, so anyone who reaches the API could mint an operator token, but the app listens on {string.Join(", ", exposed)}. "
                + "Listen on loopback only (http://127.0.0.1:PORT or http://localhost:PORT), or set OrleansCqrs__Auth__DevelopmentTokens=false and configure a real issuer (Authority or SigningKeyFile).");
        }

        var key = SigningKey(settings, developmentTokens, options);
        if (key is null && string.IsNullOrWhiteSpace(settings.Authority))
        {
            throw new InvalidOperationException(
                $"No token could ever be accepted: set {AuthSettings.SectionName}:Authority (an OpenID Connect provider) or {AuthSettings.SectionName}:SigningKeyFile (a base64 HS256 key), or turn DevelopmentTokens on (loopback only).");
        }

        services.AddSingleton(settings);
        services.AddSingleton<Callers>();
        if (developmentTokens)
        {
            services.AddSingleton(new DevelopmentTokens(new TokenIssuer(key!, settings), options.Roles));
        }

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
        {
            // sub and role keep their names, as the Actor mapping and the policies read them.
            bearer.MapInboundClaims = false;
            // Nothing reads the token back from the ticket (GetTokenAsync): saving it filled each request's
            // authentication properties with the token, its name and a dictionary for them.
            bearer.SaveToken = false;
            if (!string.IsNullOrWhiteSpace(settings.Authority))
            {
                bearer.Authority = settings.Authority;
                bearer.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            }

            bearer.Audience = settings.Audience;
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                IssuerSigningKey = key is null ? null : new SymmetricSecurityKey(key),
                NameClaimType = JwtRegisteredClaimNames.Sub,
                RoleClaimType = settings.RoleClaim,
                ClockSkew = settings.ClockSkew,
                RequireExpirationTime = true,
            };
        });
        services.AddSingleton(_ => new ValidatedTokenCache(TimeProvider.System));
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ValidatedTokenCache>((bearer, tokens) => bearer.Events = tokens.Events());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthProblems>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>
    /// Authentication, then <paramref name="beforeAuthorization"/> (middleware that must know who calls but also see
    /// the callers about to be refused: limits per caller, so that a flood of requests without a valid token is
    /// counted too), then authorization. With authentication off only <paramref name="beforeAuthorization"/> runs.
    /// </summary>
    public static IApplicationBuilder UseCqrsAuthentication(this IApplicationBuilder app, Action<IApplicationBuilder>? beforeAuthorization = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var enabled = app.ApplicationServices.GetService<Callers>() is not null;
        if (enabled)
        {
            app.UseAuthentication();
        }

        beforeAuthorization?.Invoke(app);
        if (enabled)
        {
            app.UseAuthorization();
        }

        return app;
    }

    /// <summary>The development token issuer, <c>POST /api/dev/token</c>, when development tokens are on.</summary>
    public static IEndpointRouteBuilder MapDevelopmentTokens(this IEndpointRouteBuilder routes) => DevelopmentTokens.MapDevelopmentTokens(routes);

    private static byte[]? SigningKey(AuthSettings settings, bool developmentTokens, CqrsAuthenticationOptions options)
    {
        if (!string.IsNullOrWhiteSpace(settings.SigningKeyFile))
        {
            return SigningKeyFile.Read(settings.SigningKeyFile);
        }

        if (!developmentTokens)
        {
            return null;
        }

        var directory = options.DataDirectory
            ?? throw new InvalidOperationException($"Development tokens need a data folder for their signing key ({nameof(CqrsAuthenticationOptions)}.{nameof(CqrsAuthenticationOptions.DataDirectory)}), or {AuthSettings.SectionName}:SigningKeyFile.");
        return SigningKeyFile.ReadOrCreate(Path.Combine(directory, SigningKeyFile.DevelopmentFileName));
    }
}
