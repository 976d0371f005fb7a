using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansCqrs.Web.Tests;

public sealed class OperatorPageTests(WebFixture web)
{
    [Fact]
    public async Task An_operator_watches_the_totals_top_accounts_and_changes_as_they_happen()
    {
        var customer = $"o{Guid.NewGuid():N}"[..12];
        var account = $"{customer}-rich";
        using var api = web.App.Customer(customer);
        await api.OpenAsync(account);

        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsOperatorAsync();
        var totals = browser.Page.Locator("#totals");
        await Expect(totals).ToHaveAttributeAsync("data-position", new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"));
        await Expect(browser.Page.Locator("#operator-live-state")).ToHaveTextAsync("live");
        var before = long.Parse(await totals.GetAttributeAsync("data-position") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        // More than any other test deposits: this account heads the board once the ledger has it.
        await api.DepositAsync(account, 5_000_000m);
        await Expect(browser.Page.Locator("#activity")).ToContainTextAsync($"{account} ({customer}): 5,000,000.00 EUR");
        await Expect(browser.Page.Locator("#top-accounts tbody tr").First).ToContainTextAsync(account);
        var after = await Eventually(async () => long.Parse(await totals.GetAttributeAsync("data-position") ?? "0", System.Globalization.CultureInfo.InvariantCulture), p => p > before, "the totals to move past the deposit");
        Assert.True(after > before);
        await browser.ScreenshotAsync("operator-desktop");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_operator_opens_the_orleans_dashboard_from_the_page_and_a_customer_is_offered_none()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsOperatorAsync();

        // A navigation in a new tab: no bearer header, only the cookie the page asked the front end for.
        var link = browser.Page.Locator("#open-dashboard");
        await Expect(link).ToBeVisibleAsync();
        var dashboard = await browser.Page.Context.RunAndWaitForPageAsync(() => link.ClickAsync());
        await dashboard.WaitForLoadStateAsync();
        await Expect(dashboard).ToHaveTitleAsync("Orleans Dashboard");
        Assert.Equal("/dashboard/", new Uri(dashboard.Url).AbsolutePath);
        browser.AssertNoConsoleErrors();

        await using var customer = await BrowserPage.OpenAsync(web);
        await customer.SignInAsCustomerAsync($"d{Guid.NewGuid():N}"[..12]);
        await Expect(customer.Page.Locator("#dashboard-link")).ToBeHiddenAsync();
        var refused = await customer.Page.APIRequest.GetAsync("/dashboard/");
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task An_operator_starts_a_rebuild_and_follows_its_progress()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsOperatorAsync();
        var text = browser.Page.Locator("#ledger-rebuild-text");
        await Expect(text).ToContainTextAsync("serves");
        var generation = await Generation(text);

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Rebuild the ledger" }).ClickAsync();

        await Expect(text).ToContainTextAsync($"Generation {generation + 1} serves", new() { Timeout = 30_000 });
        await Expect(text).ToHaveAttributeAsync("data-state", "idle");
        await Expect(browser.Page.Locator("#ledger-progress")).ToHaveAttributeAsync("value", "1");

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Rebuild account summaries" }).ClickAsync();
        await Expect(browser.Page.Locator("#summary-rebuild-text")).ToContainTextAsync("Idle", new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("#summary-rebuild-text")).ToContainTextAsync("accounts rebuilt");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_status_panel_draws_silos_lag_per_read_model_and_the_healer_from_the_status_shape()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        // The page as it reads GET /api/admin/status, answered here with the documented shape: lag that changes.
        var calls = 0;
        await browser.Page.RouteAsync("**/api/admin/status", route =>
        {
            var n = Interlocked.Increment(ref calls);
            return route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = StatusJson(n) });
        });
        await browser.SignInAsOperatorAsync();

        await Expect(browser.Page.Locator("#silos tbody tr")).ToHaveCountAsync(2);
        await Expect(browser.Page.Locator("#silos tbody tr").First).ToContainTextAsync("write");
        await Expect(browser.Page.Locator("#silos tbody tr[data-status=\"dead\"]")).ToHaveCountAsync(1);
        await Expect(browser.Page.Locator("#read-models tr[data-read-model=\"ledger\"]")).ToContainTextAsync("log");
        await Expect(browser.Page.Locator("#read-models tr[data-read-model=\"account-summary\"]")).ToContainTextAsync("stream");
        await Expect(browser.Page.Locator("#healer")).ToContainTextAsync("Heals");
        await Expect(browser.Page.Locator("#recent-heals li")).ToHaveCountAsync(1);
        // Polled every second: after three answers each read model has three points on the chart.
        await Expect(browser.Page.Locator("#lag-chart polyline")).ToHaveCountAsync(2);
        await Expect(browser.Page.Locator("#lag-chart")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^([6-9]|[1-9][0-9]+)$"));
        await Expect(browser.Page.Locator("#read-models tr[data-read-model=\"ledger\"]")).ToContainTextAsync("1000+");
        await Expect(browser.Page.Locator("#recent-heals li")).ToContainTextAsync("accountsummaryprojection/acc-1: asked up to version 5, reached 5");
        await Expect(browser.Page.Locator("#status-problems li")).ToHaveTextAsync("healer: No read silo is up");
        browser.AssertNoConsoleErrors();
    }

    /// <summary>Against the real <c>GET /api/admin/status</c> of the embedded front end: one silo, every read model.</summary>
    [Fact]
    public async Task The_status_panel_shows_the_clusters_silos_and_read_models_from_the_front_end()
    {
        using var api = web.App.Operator();
        using var response = await api.GetAsync("/api/admin/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var silos = status.RootElement.GetProperty("silos").GetArrayLength();
        var models = status.RootElement.GetProperty("readModels").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();

        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsOperatorAsync();
        await Expect(browser.Page.Locator("#silos tbody tr")).ToHaveCountAsync(silos);
        foreach (var model in models)
        {
            await Expect(browser.Page.Locator($"#read-models tr[data-read-model=\"{model}\"]")).ToHaveCountAsync(1);
        }

        await Expect(browser.Page.Locator("#lag-chart polyline")).ToHaveCountAsync(models.Count);
        await Expect(browser.Page.Locator("#silos tbody tr").First).ToContainTextAsync("all");
        await Expect(browser.Page.Locator("#status-problems")).ToBeHiddenAsync();
        browser.AssertNoConsoleErrors();
    }

    private static string StatusJson(int call) => $$$"""
        {"at": "{{{DateTimeOffset.UtcNow:O}}}", "position": {{{1000 + call}}},
         "silos": [
           {"name": "silo-write-1", "address": "127.0.0.1:11111", "role": "write", "status": "active", "startedAt": "2026-11-29T22:00:00Z"},
           {"name": "silo-read-1", "address": "127.0.0.1:11112", "role": "read", "status": "dead", "startedAt": "2026-11-29T22:00:01Z"}],
         "readModels": [
           {"name": "ledger", "kind": "log", "eventsBehind": 1000, "moreBehind": true, "millisecondsBehind": {{{10 * (call % 4)}}}, "waiting": null, "stuck": null},
           {"name": "account-summary", "kind": "stream", "eventsBehind": 0, "moreBehind": false, "millisecondsBehind": {{{5 * (call % 2)}}}, "waiting": {{{call % 3}}}, "stuck": null}],
         "healer": {"checkpoint": 990, "readUpTo": 1000, "pending": 0, "heals": 3,
           "recentHeals": [{"projection": "accountsummaryprojection", "key": "acc-1", "expectedVersion": 5, "reachedVersion": 5, "at": "2026-11-29T22:00:02Z"}]},
         "problems": ["healer: No read silo is up"]}
        """;

    [Fact]
    public async Task A_rebuild_another_operator_starts_after_sign_in_is_followed_to_its_end()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsOperatorAsync();
        var text = browser.Page.Locator("#ledger-rebuild-text");
        await Expect(text).ToContainTextAsync("serves");
        var generation = await Generation(text);

        using var otherOperator = web.App.Operator();
        using var started = await otherOperator.PostAsync(new Uri("/api/admin/projections/ledger/rebuild", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        await Expect(text).ToContainTextAsync($"Generation {generation + 1} serves", new() { Timeout = 30_000 });
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Totals_that_cannot_be_read_stay_on_screen_with_a_warning_until_they_can()
    {
        var totals = new FailingTotals();
        await using var app = new WebApp(services => services.AddSingleton<IOutgoingGrainCallFilter>(totals));
        app.Start();
        await using var browser = await BrowserPage.OpenAsync(web, app: app);
        await browser.SignInAsOperatorAsync();
        await Expect(browser.Page.Locator("#totals")).ToContainTextAsync("Log position");

        browser.Allow("503");
        totals.Failing = true;
        await Expect(browser.Page.Locator("#totals-error")).ToContainTextAsync("The totals could not be read");
        await Expect(browser.Page.Locator("#totals-error")).ToContainTextAsync("what is shown is from");
        await Expect(browser.Page.Locator("#totals")).ToContainTextAsync("Log position");

        totals.Failing = false;
        await Expect(browser.Page.Locator("#totals-error")).ToBeHiddenAsync();
    }

    /// <summary>While <see cref="Failing"/>, the front end's reads of the bank totals fail as when the read store is down.</summary>
    private sealed class FailingTotals : IOutgoingGrainCallFilter
    {
        public volatile bool Failing;

        public Task Invoke(IOutgoingGrainCallContext context) =>
            Failing && context.InterfaceMethod?.Name == nameof(OrleansCqrs.Bank.Ledger.IBankQueries.GetTotals)
                ? throw new OrleansCqrs.Framework.EventStore.EventStoreUnavailableException("Injected: the ledger cannot be read.")
                : context.Invoke();
    }

    private static async Task<int> Generation(ILocator text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(await text.TextContentAsync() ?? "", @"Generation (\d+)");
        Assert.True(match.Success, "The ledger's rebuild text names its generation.");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<long> Eventually(Func<Task<long>> probe, Func<long, bool> done, string what) =>
        OrleansCqrs.Testing.Eventually.ReturnsAsync(probe, done, TimeSpan.FromSeconds(15), what);
}
