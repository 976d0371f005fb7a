using OrleansCqrs.Api.Accounts;
using OrleansCqrs.Framework.AspNetCore;

namespace OrleansCqrs.Api.Infrastructure;

public static class CommandApiSetup
{
    /// <summary>The most a command request body may carry; larger ones get 413.</summary>
    public const long MaxCommandBodyBytes = 16 * 1024;

    /// <summary>
    /// Every error as ProblemDetails with a code; JSON that is strict about types; the bank's rules
    /// (<see cref="BankSettings"/>), a value out of range stopping the start.
    /// </summary>
    public static IServiceCollection AddCommandApi(this IServiceCollection services)
    {
        services.AddOptions<BankSettings>().BindConfiguration(BankSettings.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services.AddCqrsApi();
    }

    public static WebApplication UseCommandApi(this WebApplication app)
    {
        app.UseCqrsApi();
        return app;
    }
}
