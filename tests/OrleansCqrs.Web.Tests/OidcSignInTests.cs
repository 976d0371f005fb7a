using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansCqrs.Web.Tests;

public sealed class OidcSignInTests(WebFixture web)
{
    [Fact]
    public async Task With_an_authority_and_a_client_id_the_page_signs_in_with_the_code_flow_and_pkce()
    {
        await using var provider = await FakeOidcProvider.StartAsync();
        await using var app = new WebApp(
            ("OrleansCqrs:Auth:Authority", provider.Address.ToString()),
            ("OrleansCqrs:Auth:RequireHttpsMetadata", "false"),
            ("OrleansCqrs:Auth:DevelopmentTokens", "false"),
            ("OrleansCqrs:Web:ClientId", FakeOidcProvider.ClientId));
        app.Start();
        await using var browser = await BrowserPage.OpenAsync(web, app: app);

        await Expect(browser.Page.Locator("#oidc-sign-in")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator("#no-issuer")).ToBeHiddenAsync();
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your provider" }).ClickAsync();

        await Expect(browser.Page.Locator("body")).ToHaveAttributeAsync("data-view", "customer");
        await Expect(browser.Page.Locator("#who")).ToHaveTextAsync($"Customer {provider.CustomerId}");
        await Expect(browser.Page.Locator("#live-state")).ToHaveTextAsync("live");
        // The code is gone from the address bar, and the token never was in it.
        Assert.DoesNotContain("code=", browser.Page.Url, StringComparison.Ordinal);
        Assert.Equal(0, provider.RefusedVerifiers);
        browser.AssertNoConsoleErrors();
    }
}
