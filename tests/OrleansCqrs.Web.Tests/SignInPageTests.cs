using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using OrleansCqrs.Testing;
using static Microsoft.Playwright.Assertions;

namespace OrleansCqrs.Web.Tests;

public sealed class SignInPageTests(WebFixture web)
{
    [Fact]
    public async Task A_stranger_without_a_token_is_refused_by_the_api_and_shown_the_sign_in()
    {
        using var stranger = web.App.Anonymous();
        using var portfolio = await stranger.GetAsync("/api/customers/alice/portfolio");
        using var live = await stranger.GetAsync("/api/live");
        Assert.Equal(HttpStatusCode.Unauthorized, portfolio.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, live.StatusCode);

        await using var browser = await BrowserPage.OpenAsync(web);
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#dev-sign-in")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#customer-view")).ToBeHiddenAsync();
        await Expect(browser.Page.Locator("#operator-view")).ToBeHiddenAsync();
        await browser.ScreenshotAsync("sign-in-desktop");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_token_the_api_refuses_brings_the_sign_in_back()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        // A customer token whose signature is not the front end's: the page believes its claims, the API does not.
        var token = TestTokens.Shared.Customer("mallory");
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        await browser.Page.EvaluateAsync("t => sessionStorage.setItem('orleanscqrs.token', t)", forged);
        await browser.Page.ReloadAsync();

        await Expect(browser.Page.Locator("#notice")).ToContainTextAsync("sign in again");
        await Expect(browser.Page.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#customer-view")).ToBeHiddenAsync();
        Assert.Null(await browser.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('orleanscqrs.token')"));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_customer_id_the_issuer_refuses_is_shown_next_to_its_field()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.Page.GetByLabel("Customer id").FillAsync("not an id!");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this customer" }).ClickAsync();

        await Expect(browser.Page.Locator("#customer-id-error")).ToBeVisibleAsync();
        await Expect(browser.Page.GetByLabel("Customer id")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(browser.Page.Locator("#sign-in")).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_token_is_kept_for_the_tab_and_never_put_in_a_url()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        // Requests are reported on Playwright's own thread, while the test reads them: a queue takes both at once.
        var urls = new ConcurrentQueue<string>();
        browser.Page.Request += (_, request) => urls.Enqueue(request.Url);
        await browser.SignInAsCustomerAsync($"t{Guid.NewGuid():N}"[..12]);
        var token = await browser.Page.EvaluateAsync<string>("() => sessionStorage.getItem('orleanscqrs.token')");
        Assert.False(string.IsNullOrEmpty(token));

        await browser.Page.ReloadAsync();
        await Expect(browser.Page.Locator("body")).ToHaveAttributeAsync("data-view", "customer");
        Assert.DoesNotContain(urls.ToArray(), url => url.Contains(token[..20], StringComparison.Ordinal));
        Assert.DoesNotContain(token[..20], browser.Page.Url, StringComparison.Ordinal);

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(browser.Page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.Null(await browser.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('orleanscqrs.token')"));
        Assert.DoesNotContain(urls.ToArray(), url => url.Contains(token[..20], StringComparison.Ordinal));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_next_customer_signed_in_in_the_tab_sees_nothing_of_the_one_before()
    {
        var (alice, bob) = ($"a{Guid.NewGuid():N}"[..12], $"b{Guid.NewGuid():N}"[..12]);
        var account = $"{alice}-a";
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(alice);
        await browser.OpenAccountAsync(account);
        await browser.DepositAsync(account, "12.30");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = $"Statement of {account}" }).ClickAsync();
        await Expect(browser.Page.Locator("#statement")).ToBeVisibleAsync();
        var withdraw = browser.Form("withdraw-form");
        await withdraw.GetByLabel("Amount").FillAsync("50");
        await withdraw.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();
        await Expect(browser.Page.Locator("#withdraw-form-error")).ToContainTextAsync("insufficient-funds");

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await browser.SignInAsCustomerAsync(bob);

        await Expect(browser.Page.Locator("#no-accounts")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#statement")).ToBeHiddenAsync();
        await Expect(browser.Page.Locator("#statement-figure")).ToBeHiddenAsync();
        await Expect(browser.Page.Locator("#withdraw-form-error")).ToBeHiddenAsync();
        await Expect(browser.Page.Locator("#ryw")).ToHaveTextAsync("No command sent yet.");
        var shown = await browser.Page.Locator("#customer-view").InnerTextAsync();
        Assert.DoesNotContain(account, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("12.30", shown, StringComparison.Ordinal);
        Assert.Empty(await browser.Page.Locator("#statement tbody tr").AllAsync());
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_refused_live_stream_still_shows_the_accounts_says_why_and_goes_live_once_it_may()
    {
        await using var app = new WebApp(("OrleansCqrs:Live:MaxListeners", "1"));
        app.Start();
        var customer = $"c{Guid.NewGuid():N}"[..12];
        using var owner = app.Customer(customer);
        using var opened = await owner.PostAsync(new Uri("/api/accounts", UriKind.Relative), new StringContent($$"""{"currency":"EUR","accountId":"{{customer}}-a"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        // Another listener holds the front end's only place.
        using var other = app.Operator();
        var held = await other.GetAsync(new Uri("/api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);

        await using var browser = await BrowserPage.OpenAsync(web, app: app);
        browser.Allow("503");
        await browser.Page.GetByLabel("Customer id").FillAsync(customer);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this customer" }).ClickAsync();

        await Expect(browser.Balance($"{customer}-a")).ToHaveTextAsync("0.00");
        await Expect(browser.Page.Locator("#notice")).ToContainTextAsync("live-listeners-full");
        await Expect(browser.Page.Locator("#live-state")).Not.ToHaveTextAsync("live");

        held.Dispose();
        await Expect(browser.Page.Locator("#live-state")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        await Expect(browser.Page.Locator("#notice")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Without_a_development_issuer_the_page_says_how_to_sign_in_and_takes_a_token()
    {
        await using var app = new WebApp(("OrleansCqrs:Auth:DevelopmentTokens", "false"));
        app.Start();
        var customer = $"p{Guid.NewGuid():N}"[..12];
        await using var browser = await BrowserPage.OpenAsync(web, app: app);

        await Expect(browser.Page.Locator("#no-issuer")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#no-issuer")).ToContainTextAsync("no development issuer");
        await Expect(browser.Page.Locator("#dev-sign-in")).ToBeHiddenAsync();

        await browser.Page.GetByLabel("Bearer token").FillAsync(TestTokens.Shared.Customer(customer));
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with this token" }).ClickAsync();
        await Expect(browser.Page.Locator("body")).ToHaveAttributeAsync("data-view", "customer");
        await Expect(browser.Page.Locator("#who")).ToHaveTextAsync($"Customer {customer}");
        await Expect(browser.Page.Locator("#live-state")).ToHaveTextAsync("live");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_page_is_served_with_a_strict_content_security_policy()
    {
        using var client = web.App.Anonymous();
        foreach (var path in new[] { "/", "/js/main.js", "/app.css" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        }

        // The page itself keeps to it: a blocked inline script or style would be a console error in the other tests.
        var html = await client.GetStringAsync("/");
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
    }
}
