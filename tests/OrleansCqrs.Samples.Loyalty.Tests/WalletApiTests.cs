using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Samples.Loyalty.Tests;

/// <summary>The sample as a user runs it: its own process, an embedded silo, HTTP with the framework's rules.</summary>
public sealed class WalletApiTests : IClassFixture<WalletApiTests.Host>
{
    private readonly HttpClient _http;

    public WalletApiTests(Host host)
    {
        host.StartServer();
        _http = host.CreateClient();
    }

    [Fact]
    public async Task Points_earned_and_redeemed_show_in_the_balance_read_at_the_last_version()
    {
        var wallet = $"w-{Guid.NewGuid():N}";
        await PostAsync(wallet, "earn", new { points = 120, reason = "order-1" }, HttpStatusCode.OK);
        var redeemed = await PostAsync(wallet, "redeem", new { points = 20, reward = "mug" }, HttpStatusCode.OK);

        var balance = await _http.GetFromJsonAsync<WalletBalance>($"/api/wallets/{wallet}?minVersion={redeemed.Version}&waitMs=5000");
        Assert.Equal((100, 120, 20, 2L), (balance!.Points, balance.Earned, balance.Redeemed, balance.Version));
    }

    [Fact]
    public async Task A_redemption_beyond_the_points_is_a_409_with_its_code_and_a_retry_with_the_same_key_replays_the_acceptance()
    {
        var wallet = $"w-{Guid.NewGuid():N}";
        var first = await PostAsync(wallet, "earn", new { points = 10, reason = "signup" }, HttpStatusCode.OK, key: "earn-1");
        var again = await PostAsync(wallet, "earn", new { points = 10, reason = "signup" }, HttpStatusCode.OK, key: "earn-1");
        Assert.Equal(first, again);

        var refused = await SendAsync(wallet, "redeem", new { points = 11, reward = "mug" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("\"code\":\"not-enough-points\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_fields_are_a_400_and_an_unknown_wallet_a_404()
    {
        var invalid = await SendAsync("w-1", "earn", new { reason = "no points" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("points", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unknown = await _http.GetAsync(new Uri($"/api/wallets/w-{Guid.NewGuid():N}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_body_over_16_KiB_is_a_413_and_a_reason_over_200_characters_a_400()
    {
        var wallet = $"w-{Guid.NewGuid():N}";

        var huge = await SendAsync(wallet, "earn", new { points = 1, reason = new string('x', 20 * 1024) });
        var tooLong = await SendAsync(wallet, "earn", new { points = 1, reason = new string('x', Wallet.MaxTextLength + 1) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("text-too-long", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<WalletAccepted> PostAsync(string wallet, string command, object body, HttpStatusCode expected, string? key = null)
    {
        var response = await SendAsync(wallet, command, body, key);
        Assert.True(response.StatusCode == expected, $"{command}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WalletAccepted>())!;
    }

    private Task<HttpResponseMessage> SendAsync(string wallet, string command, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/wallets/{wallet}/{command}") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return _http.SendAsync(request);
    }

    /// <summary>The sample's own Program, on an in-memory store and free silo ports.</summary>
    public sealed class Host : WebApplicationFactory<Program>
    {
        // Kestrel on a free loopback port, so that body limits behave as in production.
        public Host() => UseKestrel(0);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("OrleansCqrs:Store", "InMemory");
            builder.UseSetting("OrleansCqrs:SiloPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("OrleansCqrs:GatewayPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
