using System.Net;
using System.Text.Json;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>What a listener receives: its own changes, each account's and each customer's, and nothing else.</summary>
public sealed class LiveApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private HttpClient Client => fixture.Client;

    private Task<SseListener> ListenAsync(string query, CancellationToken deadline) => SseListener.OpenAsync(Client, query, deadline);

    [Fact]
    public async Task A_listener_for_an_account_receives_its_new_summary_and_nothing_of_other_accounts()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watched = await Client.OpenAccountAsync("cust-live");
        var other = await Client.OpenAccountAsync("cust-live");
        using var listener = await ListenAsync($"?accountId={watched}", deadline.Token);

        await Client.DepositAsync(other, 1);
        var version = await Client.DepositAsync(watched, 42.5m);

        // The feed may still be behind the opening of the account (it started before): that change may come first.
        JsonElement change;
        do
        {
            change = await listener.NextAccountEventAsync(deadline.Token);
            Assert.Equal(watched, change.GetProperty("accountId").GetString());
        }
        while (change.GetProperty("version").GetInt64() < version);

        Assert.Equal(42.5m, change.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task A_listener_for_a_customer_receives_changes_of_each_of_its_accounts()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var customer = $"cust-{Guid.NewGuid():N}";
        using var listener = await ListenAsync($"?customerId={customer}", deadline.Token);

        var first = await Client.OpenAccountAsync(customer);
        var opened = await listener.NextAccountEventAsync(deadline.Token);

        Assert.Equal(first, opened.GetProperty("accountId").GetString());
        Assert.Equal(customer, opened.GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task A_customer_whose_token_lasts_longer_than_any_timer_listens_as_any_other()
    {
        // A stream ends at its token's expiry; a timer cannot wait 90 days (at most about 49.7), and asking one to
        // answered 500 and left the listener's place taken for good.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var customer = $"cust-{Guid.NewGuid():N}";
        using var longLived = fixture.Host.CreateClient(TestTokens.Shared.Create(customer, customer, [], TimeSpan.FromDays(90)));
        using var listener = await SseListener.OpenAsync(longLived, $"?customerId={customer}", deadline.Token);

        var account = await Client.OpenAccountAsync(customer);

        Assert.Equal(account, (await listener.NextAccountEventAsync(deadline.Token)).GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task A_listener_for_a_customer_receives_changes_of_accounts_opened_before_it_connected_and_none_of_other_customers()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var customer = $"cust-{Guid.NewGuid():N}";
        var older = await Client.OpenAccountAsync(customer);
        var stranger = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using var listener = await ListenAsync($"?customerId={customer}", deadline.Token);

        await Client.DepositAsync(stranger, 7);
        await Client.DepositAsync(older, 3);
        var newer = await Client.OpenAccountAsync(customer);
        await Client.DepositAsync(stranger, 8);
        var newerVersion = await Client.DepositAsync(newer, 5);

        // Every change is the customer's; the older account's balance is seen before the newer account's last change
        // (the opening and the deposit of the newer one may come as one change: the last one is enough).
        decimal? olderBalance = null;
        while (true)
        {
            var change = await listener.NextAccountEventAsync(deadline.Token);
            Assert.Equal(customer, change.GetProperty("customerId").GetString());
            if (change.GetProperty("accountId").GetString() == older)
            {
                olderBalance = change.GetProperty("balance").GetDecimal();
            }
            else if (change.GetProperty("version").GetInt64() == newerVersion)
            {
                Assert.Equal(newer, change.GetProperty("accountId").GetString());
                Assert.Equal(5m, change.GetProperty("balance").GetDecimal());
                break;
            }
        }

        Assert.Equal(3m, olderBalance);
    }

    [Fact]
    public async Task An_unfiltered_listener_receives_changes_of_every_customer()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var first = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        var second = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using var listener = await ListenAsync("", deadline.Token);

        var firstVersion = await Client.DepositAsync(first, 10);
        var secondVersion = await Client.DepositAsync(second, 20);

        Assert.Equal(10m, (await listener.AccountAtAsync(first, firstVersion, deadline.Token)).GetProperty("balance").GetDecimal());
        Assert.Equal(20m, (await listener.AccountAtAsync(second, secondVersion, deadline.Token)).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task Listeners_with_different_filters_each_receive_only_the_changes_they_match()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var customer = $"cust-{Guid.NewGuid():N}";
        var customersAccount = await Client.OpenAccountAsync(customer);
        var account = await Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using var accountListener = await ListenAsync($"?accountId={account}", deadline.Token);
        using var customerListener = await ListenAsync($"?customerId={customer}", deadline.Token);
        using var everything = await ListenAsync("", deadline.Token);

        await Client.DepositAsync(customersAccount, 1);
        var accountVersion = await Client.DepositAsync(account, 2);
        var customerVersion = await Client.DepositAsync(customersAccount, 3);

        await ExpectOnlyAsync(accountListener, account, accountVersion, deadline.Token);
        await ExpectOnlyAsync(customerListener, customersAccount, customerVersion, deadline.Token);
        await everything.AccountAtAsync(account, accountVersion, deadline.Token);
        await everything.AccountAtAsync(customersAccount, customerVersion, deadline.Token);
    }

    /// <summary>Changes up to <paramref name="version"/> of <paramref name="accountId"/>, and of no other account.</summary>
    private static async Task ExpectOnlyAsync(SseListener listener, string accountId, long version, CancellationToken deadline)
    {
        JsonElement change;
        do
        {
            change = await listener.NextAccountEventAsync(deadline);
            Assert.Equal(accountId, change.GetProperty("accountId").GetString());
        }
        while (change.GetProperty("version").GetInt64() < version);
    }

    [Fact]
    public async Task A_malformed_filter_is_a_400_problem()
    {
        await (await Client.GetAsync("/api/live?accountId=bad%20id")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
