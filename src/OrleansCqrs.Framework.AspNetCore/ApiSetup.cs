using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansCqrs.Framework.AspNetCore;

/// <summary>The HTTP conventions the endpoint helpers rely on: every error as ProblemDetails with a code, strict JSON.</summary>
public static class ApiSetup
{
    /// <summary>Every error as ProblemDetails; JSON that is strict about types.</summary>
    public static IServiceCollection AddCqrsApi(this IServiceCollection services)
    {
        // A body over the size limit or not JSON, an unknown route, a method a route does not take: ASP.NET Core answers
        // these itself, not by an exception the handler below sees; their problems still get the code clients key on.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context => ProblemExceptionHandler.CompleteBareProblem(context.ProblemDetails));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures throw, so that ProblemExceptionHandler can name the offending field instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            // "amount": "10" is a wrong type, not a number.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // {"amount":1,"amount":1000000000} is ambiguous: a proxy that checks the first and an API that books the
            // last would disagree about what was asked, so it is refused.
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        return services;
    }

    /// <summary>Exceptions and bare status codes (an unknown route, say) answered as ProblemDetails.</summary>
    public static IApplicationBuilder UseCqrsApi(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
