using OrleansCqrs.Bank;
using OrleansCqrs.Framework.AspNetCore.Security;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>
/// Who may call the bank's API: bearer tokens as <c>OrleansCqrs:Auth</c> configures them (docs/http-api.md), the
/// development issuer on by default in the embedded mode only (its key kept in the data folder), and the
/// <see cref="Operator"/> policy for bank-wide data and operations.
/// </summary>
public static class ApiAuthentication
{
    /// <summary>Policy of the endpoints only staff may call: role <see cref="BankRoles.Operator"/>.</summary>
    public const string Operator = "operator";

    public static WebApplicationBuilder AddApiAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = OrleansCqrsSettings.From(builder.Configuration);
        builder.Services.AddCqrsAuthentication(builder.Configuration, auth =>
        {
            auth.DevelopmentTokensByDefault = settings.Mode == HostingMode.Embedded;
            auth.DataDirectory = Path.GetFullPath(settings.DataDirectory, builder.Environment.ContentRootPath);
            auth.Roles = [BankRoles.Operator];
        });
        if (settings.Auth.Enabled)
        {
            // Off (measurements only), nothing authenticates, so no policy could be met: the operator's endpoints are open too.
            builder.Services.AddAuthorizationBuilder().AddPolicy(Operator, policy => policy.RequireRole(BankRoles.Operator));
        }

        return builder;
    }
}
