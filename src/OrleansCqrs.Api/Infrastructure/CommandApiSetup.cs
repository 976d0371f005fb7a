using System.Text.Json.Serialization;

namespace OrleansCqrs.Api.Infrastructure;

public static class CommandApiSetup
{
    /// <summary>The most a command request body may carry; larger ones get 413.</summary>
    public const long MaxCommandBodyBytes = 16 * 1024;

    /// <summary>Every error as ProblemDetails; JSON that is strict about types.</summary>
    public static IServiceCollection AddCommandApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures throw, so that ProblemExceptionHandler can name the offending field instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            // "amount": "10" is a wrong type, not a number.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        return services;
    }

    public static WebApplication UseCommandApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
