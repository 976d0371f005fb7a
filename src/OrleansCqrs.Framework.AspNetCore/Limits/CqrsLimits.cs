using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansCqrs.Framework.AspNetCore.Limits;

/// <summary>
/// The front end's limits from <c>OrleansCqrs:Limits</c>: rate limits per caller (ASP.NET rate limiting), places for
/// reads that wait for a version, request timeouts and Kestrel's limits. Every refusal is a ProblemDetails with a
/// stable <c>code</c> and Retry-After.
/// </summary>
public static class CqrsLimits
{
    /// <summary>The request-timeout policy of reads that take <c>waitMs</c> (see <see cref="ReadWait.WithReadWait"/>).</summary>
    public const string WaitingReadTimeoutPolicy = "orleanscqrs-waiting-read";

    /// <summary>Binds and validates <c>OrleansCqrs:Limits</c> (a value out of range stops the app at start) and registers every limit.</summary>
    public static IServiceCollection AddCqrsLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CqrsLimitsOptions>().Bind(configuration.GetSection(CqrsLimitsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CqrsLimitsOptions>, CqrsLimitsValidator>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<CqrsLimitsOptions>>((rates, limits) =>
        {
            rates.GlobalLimiter = CallerLimiter.Create(limits.Value);
            rates.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            rates.OnRejected = LimitProblems.RefuseAsync;
        });

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<CqrsLimitsOptions>>((timeouts, limits) =>
        {
            var configured = limits.Value.Timeouts;
            timeouts.DefaultPolicy = Timeout(configured.Enabled ? TimeSpan.FromSeconds(configured.RequestSeconds) : null);
            // Registered even when timeouts are off: endpoints name it, and a named policy that is missing is an error.
            timeouts.AddPolicy(WaitingReadTimeoutPolicy, Timeout(configured.Enabled ? TimeSpan.FromSeconds(configured.WaitingReadSeconds) : null));
        });

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<CqrsLimitsOptions>>((kestrel, limits) =>
        {
            var configured = limits.Value.Kestrel;
            kestrel.AddServerHeader = configured.AddServerHeader;
            kestrel.Limits.MaxConcurrentConnections = configured.MaxConcurrentConnections;
            kestrel.Limits.MaxRequestBodySize = configured.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeaderCount = configured.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestHeadersTotalSize = configured.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestLineSize = configured.MaxRequestLineBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(configured.RequestHeadersTimeoutSeconds);
        });
        return services;
    }

    /// <summary>
    /// Rate limits, then request timeouts. Place it after <c>UseAuthentication()</c>: the limits per caller partition by
    /// the authenticated principal, and a request not yet authenticated counts against its address.
    /// </summary>
    public static IApplicationBuilder UseCqrsLimits(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    private static RequestTimeoutPolicy Timeout(TimeSpan? timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        WriteTimeoutResponse = LimitProblems.TimedOutAsync,
    };
}
