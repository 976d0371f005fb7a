using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Infrastructure;

public static class EmbeddedSilo
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Co-hosts a single silo in this process (embedded mode): localhost clustering, stores from the
    /// <c>OrleansCqrs</c> section. The grain client is the silo's own.
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(OrleansCqrsSettings.SectionName);
        var siloPort = section.GetValue("SiloPort", 11111);
        var gatewayPort = section.GetValue("GatewayPort", 30000);
        // ASPNETCORE_URLS (or --urls) wins; without either the app listens where the README says.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddOrleansCqrs(builder.Configuration, builder.Environment.ContentRootPath));
        return builder;
    }
}
