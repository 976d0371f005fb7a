using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace OrleansCqrs.Framework.AspNetCore.Security;

/// <summary>
/// A bearer token carried by a cookie, for pages a browser navigates to: a navigation cannot add an Authorization
/// header, so a page served to operators (the Orleans dashboard) would answer a signed-in operator 401. A caller who
/// holds a token hands it over once (<see cref="MapCookieBearerSession"/>, authenticated by the header); the cookie
/// is HttpOnly, SameSite=Strict, limited to <c>path</c> and expires with the token, and it is read only for requests
/// under that path that carry no Authorization header. It grants nothing the token does not: the same validation and
/// policies apply.
/// </summary>
public static class CookieBearer
{
    /// <summary>Lets requests under <paramref name="path"/> authenticate with the token in cookie <paramref name="cookieName"/>.</summary>
    public static IServiceCollection AcceptCookieBearer(this IServiceCollection services, string cookieName, PathString path)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
        {
            bearer.Events ??= new JwtBearerEvents();
            var earlier = bearer.Events.OnMessageReceived;
            bearer.Events.OnMessageReceived = async context =>
            {
                await earlier(context);
                if (context.Token is null
                    && !context.Request.Headers.ContainsKey(HeaderNames.Authorization)
                    && context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)
                    && context.Request.Cookies.TryGetValue(cookieName, out var token)
                    && !string.IsNullOrEmpty(token))
                {
                    context.Token = token;
                }
            };
        });
        return services;
    }

    /// <summary>
    /// <c>POST <paramref name="pattern"/></c>: puts the caller's bearer token into cookie <paramref name="cookieName"/>
    /// for <paramref name="path"/>, until the token expires (<c>204</c>). Only a token sent in the Authorization header is
    /// handed over, never one that came from the cookie itself.
    /// </summary>
    public static RouteHandlerBuilder MapCookieBearerSession(this IEndpointRouteBuilder routes, string pattern, string cookieName, PathString path)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapPost(pattern, Results<NoContent, ProblemHttpResult> (HttpContext http, TimeProvider time) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                || http.User.FindFirstValue("exp") is not { } exp
                || !long.TryParse(exp, System.Globalization.CultureInfo.InvariantCulture, out var expiresAt))
            {
                return AuthProblems.NoCaller();
            }

            var expires = DateTimeOffset.FromUnixTimeSeconds(expiresAt);
            http.Response.Cookies.Append(cookieName, header[scheme.Length..].Trim(), new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
                Path = path.Value,
                Expires = expires,
                MaxAge = expires - time.GetUtcNow(),
            });
            return TypedResults.NoContent();
        });
    }
}
