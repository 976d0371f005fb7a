using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrleansCqrs.Framework.AspNetCore.Tests.Wallet;

namespace OrleansCqrs.Framework.AspNetCore.Tests;

/// <summary>The shared HTTP rules, as a domain other than the bank gets them from a line per endpoint.</summary>
public sealed class EndpointHelperTests : IAsyncLifetime
{
    private WalletApi _api = null!;

    public async ValueTask InitializeAsync() => _api = await WalletApi.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_key_gives_the_command_id_and_the_normalised_command_its_fingerprint()
    {
        var first = await PostAsync("/wallets/w1/earn", """{"points":1.50,"reason":"coffee"}""", "k1");
        var same = await PostAsync("/wallets/w1/earn", """{"points":1.5,"reason":"coffee"}""", "k1");
        var other = await PostAsync("/wallets/w1/earn", """{"points":2,"reason":"coffee"}""", "k1");
        var elsewhere = await PostAsync("/wallets/w2/earn", """{"points":1.5,"reason":"coffee"}""", "k1");
        var closing = await PostAsync("/wallets/w1/close", null, "k1");
        var keyless = await PostAsync("/wallets/w1/earn", """{"points":1.5,"reason":"coffee"}""", null);

        Assert.All([first, same, other, elsewhere, closing, keyless], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var calls = _api.Wallet.Commands.ToArray();
        Assert.Equal(["w1", "w1", "w1", "w2", "w1", "w1"], calls.Select(c => c.Key));
        Assert.Equal(calls[0].Context, calls[1].Context);
        Assert.Equal(calls[0].Context.CommandId, calls[2].Context.CommandId);
        Assert.NotEqual(calls[0].Context.Fingerprint, calls[2].Context.Fingerprint);
        Assert.NotEqual(calls[0].Context.CommandId, calls[3].Context.CommandId);
        Assert.Equal(calls[0].Context.CommandId, calls[4].Context.CommandId);
        Assert.NotEqual(calls[0].Context.Fingerprint, calls[4].Context.Fingerprint);
        Assert.NotEqual(calls[0].Context.CommandId, calls[5].Context.CommandId);
        Assert.Null(calls[5].Context.Fingerprint);
        // No authentication in this app: every command is a trusted caller's.
        Assert.All(calls, c => Assert.Null(c.Context.Actor));
        Assert.Equal("w1", (await JsonAsync(first)).GetProperty("walletId").GetString());
    }

    [Fact]
    public async Task Every_field_at_fault_is_named_in_one_400_and_no_grain_is_called()
    {
        var response = await PostAsync($"/wallets/{new string('w', 65)}/earn", "{}", new string('k', 201));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Idempotency-Key", "points", "reason", "walletId"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal("invalid-request", problem.GetProperty("code").GetString());
        Assert.Empty(_api.Wallet.Commands);
    }

    [Fact]
    public async Task A_rejection_is_a_problem_with_its_code()
    {
        var problem = await ProblemAsync(await PostAsync("/wallets/w1/earn", """{"points":5000,"reason":"jackpot"}""", null), HttpStatusCode.Conflict);

        Assert.Equal("points-limit", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_call_that_times_out_during_a_failover_is_sent_again_with_the_same_command_id()
    {
        _api.Wallet.TimeoutsBeforeAnswer = 2;

        var response = await PostAsync("/wallets/w1/earn", """{"points":1,"reason":"retry"}""", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _api.Wallet.Attempts.Count);
        Assert.Single(_api.Wallet.Attempts.Distinct());
        Assert.Single(_api.Wallet.Commands);
    }

    [Fact]
    public async Task A_read_passes_its_minimum_and_wait_on_and_says_when_it_is_stale()
    {
        var fresh = await _api.Client.GetAsync("/wallets/w1?minVersion=3", TestContext.Current.CancellationToken);
        var stale = await _api.Client.GetAsync("/wallets/w1?minVersion=7&waitMs=150", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.False(fresh.Headers.Contains("X-Read-Stale"));
        Assert.Equal(["true"], stale.Headers.GetValues("X-Read-Stale"));
        Assert.Equal(10m, (await JsonAsync(stale)).GetProperty("points").GetDecimal());
        Assert.Equal(
            [new ReadRequest("w1", 3, TimeSpan.FromMilliseconds(ReadWait.DefaultMs)), new ReadRequest("w1", 7, TimeSpan.FromMilliseconds(150))],
            _api.Wallet.Reads);
    }

    [Fact]
    public async Task A_read_of_a_missing_item_is_a_404_with_its_code_and_bad_parameters_a_400()
    {
        var missing = await ProblemAsync(await _api.Client.GetAsync("/wallets/nobody", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        var invalid = await ProblemAsync(await _api.Client.GetAsync("/wallets/w1?minVersion=-1&waitMs=10001", TestContext.Current.CancellationToken), HttpStatusCode.BadRequest);

        Assert.Equal("wallet-not-found", missing.GetProperty("code").GetString());
        Assert.Equal(["minVersion", "waitMs"], invalid.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        var unreadable = await ProblemAsync(await _api.Client.GetAsync("/wallets/w1?minVersion=abc", TestContext.Current.CancellationToken), HttpStatusCode.BadRequest);
        Assert.Equal(["minVersion"], unreadable.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Single(_api.Wallet.Reads);
    }

    [Fact]
    public async Task An_unknown_route_and_a_method_a_route_does_not_take_are_problems_with_their_codes()
    {
        var unknown = await ProblemAsync(await _api.Client.GetAsync("/wallets/w1/nothing-here", TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
        var wrongMethod = await _api.Client.DeleteAsync("/wallets/w1", TestContext.Current.CancellationToken);
        var notAllowed = await ProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);

        // A client tells "no such endpoint" from "no such wallet" (wallet-not-found) by the code.
        Assert.Equal("route-not-found", unknown.GetProperty("code").GetString());
        Assert.Equal("method-not-allowed", notAllowed.GetProperty("code").GetString());
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
        Assert.Empty(_api.Wallet.Reads);
        Assert.Empty(_api.Wallet.Commands);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string? body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKey.Header, idempotencyKey);
        }

        return await _api.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }
}
