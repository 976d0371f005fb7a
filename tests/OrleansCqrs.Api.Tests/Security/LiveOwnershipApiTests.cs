using System.Net;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Api.Tests.Live;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Security;

/// <summary>A customer listens to its own accounts only; without a filter it hears its own customer's changes.</summary>
public sealed class LiveOwnershipApiTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_customer_filtering_the_live_feed_by_another_customer_or_its_account_gets_404()
    {
        var owner = $"cust-{Guid.NewGuid():N}";
        using var alice = fixture.Host.CustomerClient(owner);
        using var mallory = fixture.Host.CustomerClient($"cust-{Guid.NewGuid():N}");
        var account = await alice.OpenAccountAsync(owner);

        var byCustomer = await (await mallory.GetAsync($"/api/live?customerId={owner}")).ProblemAsync(HttpStatusCode.NotFound);
        var byAccount = await (await mallory.GetAsync($"/api/live?accountId={account}")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("customer-not-found", byCustomer.GetProperty("code").GetString());
        Assert.Equal("account-not-found", byAccount.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_live_stream_ends_when_the_token_it_was_opened_with_expires()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var owner = $"cust-{Guid.NewGuid():N}";
        using var alice = fixture.Host.CustomerClient(owner);
        var account = await alice.OpenAccountAsync(owner);
        // Accepted for the token's 2 s plus the validation's clock skew; the stream must end at the 2 s.
        using var shortLived = fixture.Host.CreateClient(TestTokens.Shared.Create(owner, owner, [], TimeSpan.FromSeconds(2)));
        using var listener = await SseListener.OpenAsync(shortLived, $"?accountId={account}", deadline.Token);
        var opened = System.Diagnostics.Stopwatch.StartNew();

        await listener.EndAsync(deadline.Token);

        Assert.InRange(opened.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_customer_listens_to_its_own_account_by_id()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var owner = $"cust-{Guid.NewGuid():N}";
        using var alice = fixture.Host.CustomerClient(owner);
        var account = await alice.OpenAccountAsync(owner);
        using var listener = await SseListener.OpenAsync(alice, $"?accountId={account}", deadline.Token);

        var version = await alice.DepositAsync(account, 3);

        Assert.Equal(3m, (await listener.AccountAtAsync(account, version, deadline.Token)).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task A_customer_without_a_filter_hears_its_own_accounts_and_no_one_elses()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var owner = $"cust-{Guid.NewGuid():N}";
        var stranger = $"cust-{Guid.NewGuid():N}";
        using var alice = fixture.Host.CustomerClient(owner);
        using var bob = fixture.Host.CustomerClient(stranger);
        var own = await alice.OpenAccountAsync(owner);
        var theirs = await bob.OpenAccountAsync(stranger);
        using var listener = await SseListener.OpenAsync(alice, "", deadline.Token);

        await bob.DepositAsync(theirs, 99);
        var version = await alice.DepositAsync(own, 1);

        // Changes come in commit order: bob's deposit, committed first, would have come before this one.
        while (true)
        {
            var change = await listener.NextAccountEventAsync(deadline.Token);
            Assert.Equal(owner, change.GetProperty("customerId").GetString());
            if (change.GetProperty("accountId").GetString() == own && change.GetProperty("version").GetInt64() >= version)
            {
                break;
            }
        }
    }
}
