using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Framework.EventStore;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests;

/// <summary>
/// The real front end with its co-hosted silo, served by Kestrel on a free loopback port (so body limits and content
/// types behave as in production), on free silo ports so that hosts can run side by side. It accepts tokens signed with
/// the test run's key (<see cref="TestTokens"/>); its clients are an operator's or a customer's, or anonymous.
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
        _settings.TryAdd(TestTokens.SigningKeyFileSetting, TestTokens.Shared.KeyFile);
        UseKestrel(0);
    }

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IEventStore EventStore => Services.GetRequiredService<IEventStore>();

    /// <summary>A client sending <paramref name="bearerToken"/> with every request.</summary>
    public HttpClient CreateClient(string bearerToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>A client of an operator: may do everything.</summary>
    public HttpClient OperatorClient() => CreateClient(TestTokens.Shared.Operator());

    /// <summary>A client of customer <paramref name="customerId"/>, acting for itself.</summary>
    public HttpClient CustomerClient(string customerId) => CreateClient(TestTokens.Shared.Customer(customerId));

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
