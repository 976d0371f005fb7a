using OrleansCqrs.Bank;
using OrleansCqrs.Hosting;
using OrleansCqrs.Silo;

// `migrate` brings the PostgreSQL schema up to date and exits; without it the process runs one silo (which applies
// the same migrations at start-up).
var builder = WebApplication.CreateBuilder(args.Where(a => a != "migrate").ToArray());
var settings = OrleansCqrsSettings.From(builder.Configuration);
if (args.Contains("migrate"))
{
    await SchemaMigrationStartup.MigrateAsync(settings, builder.Environment.ContentRootPath, CancellationToken.None);
    Console.WriteLine($"The {settings.Store} schema is up to date.");
    return;
}

if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls(SiloHealthCheck.DefaultUrl);
}

// SIGTERM (docker stop, systemd, Ctrl+C) stops the silo gracefully: it leaves the membership table, hands its grains
// back (each flushes what it persists write-behind) and only then exits. This bounds how long that may take.
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = SiloHealthCheck.ShutdownTimeout);
builder.UseOrleans(silo => silo
    .UseOrleansCqrsCluster(settings)
    .AddOrleansCqrsTelemetry(builder.Configuration)
    .AddOrleansCqrs(builder.Configuration, builder.Environment.ContentRootPath, cqrs => cqrs.AddDomain<BankModule>()));
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: [Health.Ready]);
builder.Services.AddOrleansCqrsTelemetry(builder.Configuration, "orleanscqrs-silo");

var app = builder.Build();
app.MapHealthEndpoints();
// On the silo's health port: internal like the probes that call it (loopback unless the deployment opens it to its
// own network, as docker-compose does), with no API beside it to protect (docs/telemetry.md).
app.MapPrometheusEndpoint(builder.Configuration);
await app.RunAsync();
