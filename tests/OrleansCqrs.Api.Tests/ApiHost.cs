using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests;

/// <summary>
/// The real front end with its co-hosted silo, served by Kestrel on a free loopback port (so body limits and content
/// types behave as in production), on free silo ports so that hosts can run side by side.
/// </summary>
public sealed class ApiHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <summary>A host whose services <paramref name="services"/> adds to (grain call filters, say).</summary>
    public ApiHost(Action<IServiceCollection> services, params (string Key, string Value)[] settings)
        : this(settings) => _services = services;

    public ApiHost(params (string Key, string Value)[] settings)
    {
        _settings = settings.ToDictionary(s => s.Key, s => s.Value);
        _settings.TryAdd("OrleansCqrs:Store", "InMemory");
        _settings["OrleansCqrs:SiloPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["OrleansCqrs:GatewayPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["urls"] = "http://127.0.0.1:0";
        UseKestrel(0);
    }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IEventStore EventStore => Services.GetRequiredService<IEventStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
