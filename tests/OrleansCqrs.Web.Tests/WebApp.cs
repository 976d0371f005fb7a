using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Web.Tests;

/// <summary>
/// The real front end (embedded mode, in-memory store, its co-hosted silo) served by Kestrel on a free loopback port,
/// so that a browser can reach it: the page, the API and the development token issuer. It also accepts tokens signed
/// with the test run's key (<see cref="TestTokens"/>), with which the tests act beside the page.
/// </summary>
public sealed class WebApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <summary>An app whose services <paramref name="services"/> adds to (grain call filters, say).</summary>
    public WebApp(Action<IServiceCollection> services, params (string Key, string Value)[] settings)
        : this(settings) => _services = services;

    public WebApp(params (string Key, string Value)[] settings)
    {
        _settings = settings.ToDictionary(s => s.Key, s => s.Value);
        _settings.TryAdd("OrleansCqrs:Store", "InMemory");
        _settings["OrleansCqrs:SiloPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["OrleansCqrs:GatewayPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["urls"] = "http://127.0.0.1:0";
        _settings.TryAdd(TestTokens.SigningKeyFileSetting, TestTokens.Shared.KeyFile);
        UseKestrel(0);
    }

    /// <summary>Where the browser finds the page; set by <see cref="Start"/>.</summary>
    public Uri Address { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        using var client = CreateClient();
        Address = client.BaseAddress!;
    }

    public HttpClient Anonymous() => CreateClient();

    public HttpClient Customer(string customerId) => WithToken(TestTokens.Shared.Customer(customerId));

    public HttpClient Operator() => WithToken(TestTokens.Shared.Operator());

    private HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

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
