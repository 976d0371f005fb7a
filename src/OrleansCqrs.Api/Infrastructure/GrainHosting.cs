using OrleansCqrs.Bank;
using OrleansCqrs.Hosting;

namespace OrleansCqrs.Api.Infrastructure;

/// <summary>How the front end reaches its grains, by <c>OrleansCqrs:Mode</c>.</summary>
public static class GrainHosting
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Embedded (the default): co-hosts a single silo in this process, which opens no Orleans port, with the stores
    /// of the <c>OrleansCqrs</c> section; the grain client is the silo's own. Cluster: an external grain client of the
    /// silos registered in PostgreSQL; any number of front ends may run side by side.
    /// </summary>
    public static WebApplicationBuilder AddGrains(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = OrleansCqrsSettings.From(builder.Configuration);
        // ASPNETCORE_URLS (or --urls) wins; without either the app listens where the README says.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        if (settings.Mode == HostingMode.Cluster)
        {
            builder.UseOrleansClient(client => client.UseOrleansCqrsCluster(settings).AddOrleansCqrsTelemetry(builder.Configuration));
        }
        else
        {
            builder.UseOrleans(silo => silo
                .UseOrleansCqrsEmbedded(settings)
                .AddOrleansCqrsTelemetry(builder.Configuration)
                .AddOrleansCqrs(builder.Configuration, builder.Environment.ContentRootPath, cqrs => cqrs.AddDomain<BankModule>()));
        }

        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [Health.Ready]);
        return builder;
    }
}
