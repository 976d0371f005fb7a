using Microsoft.Extensions.DependencyInjection;
using OrleansCqrs.Api.Live;
using OrleansCqrs.Api.Tests.Accounts;
using OrleansCqrs.Testing;

namespace OrleansCqrs.Api.Tests.Live;

/// <summary>A feed nobody listens to does nothing: it sleeps until the first listener comes, and again once the last has gone.</summary>
public sealed class LiveFeedIdleTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    // Ten poll intervals at the default 25 ms: a feed that kept polling with nobody listening would wake about ten times.
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    private LiveFeed Feed => fixture.Host.Services.GetRequiredService<LiveFeed>();

    [Fact]
    public async Task With_nobody_listening_the_feed_sleeps_and_a_listener_wakes_it()
    {
        await SleepsAsync("the feed to sleep before anyone listened");

        using var deadline = new CancellationTokenSource(Timeout);
        var account = await fixture.Client.OpenAccountAsync($"cust-{Guid.NewGuid():N}");
        using (var listener = await SseListener.OpenAsync(fixture.Client, $"?accountId={account}", deadline.Token))
        {
            var version = await fixture.Client.DepositAsync(account, 5m);
            Assert.Equal(version, (await listener.AccountAtAsync(account, version, deadline.Token)).GetProperty("version").GetInt64());
        }

        await SleepsAsync("the feed to sleep again once its listener had gone");
    }

    private async Task SleepsAsync(string what)
    {
        await Eventually.ReturnsAsync(() => Task.FromResult(Feed.ListenerCount == 0 && Feed.IsParked), asleep => asleep, Timeout, what);
        var wakes = Feed.Wakes;
        await Task.Delay(Quiet);
        Assert.True(Feed.IsParked, "The feed woke with nobody listening.");
        Assert.Equal(wakes, Feed.Wakes);
    }
}
