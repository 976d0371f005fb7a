using static Microsoft.Playwright.Assertions;

namespace OrleansCqrs.Web.Tests;

public sealed class LayoutTests(WebFixture web)
{
    [Fact]
    public async Task The_customer_view_fits_a_phone_and_labels_every_control()
    {
        var customer = $"m{Guid.NewGuid():N}"[..12];
        using var api = web.App.Customer(customer);
        await api.OpenAsync($"{customer}-main");
        await api.OpenAsync($"{customer}-savings");
        await api.DepositAsync($"{customer}-main", 1250.75m);

        await using var browser = await BrowserPage.OpenAsync(web, BrowserPage.Phone);
        await browser.SignInAsCustomerAsync(customer);
        await Expect(browser.Balance($"{customer}-main")).ToHaveTextAsync("1,250.75");
        await browser.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = $"Statement of {customer}-main" }).ClickAsync();
        await Expect(browser.Page.Locator("#statement tbody tr")).ToHaveCountAsync(2);

        await AssertFitsAndLabelledAsync(browser);
        await browser.ScreenshotAsync("customer-phone");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_operator_view_and_the_sign_in_fit_a_phone_and_label_every_control()
    {
        await using var browser = await BrowserPage.OpenAsync(web, BrowserPage.Phone);
        await AssertFitsAndLabelledAsync(browser);
        await browser.ScreenshotAsync("sign-in-phone");

        await browser.SignInAsOperatorAsync();
        await Expect(browser.Page.Locator("#totals dl")).ToBeVisibleAsync();
        await AssertFitsAndLabelledAsync(browser);
        await browser.ScreenshotAsync("operator-phone");
        browser.AssertNoConsoleErrors();
    }

    private static async Task AssertFitsAndLabelledAsync(BrowserPage browser)
    {
        var overflow = await browser.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the screen.");
        var unlabelled = await browser.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0).map(e => e.id)
              .concat([...document.querySelectorAll('button')].filter(b => !(b.getAttribute('aria-label') || b.textContent.trim())).map(b => b.id || b.outerHTML))
            """);
        Assert.True(unlabelled.Length == 0, "Without a label or name: " + string.Join(", ", unlabelled));
        var undescribed = await browser.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[aria-describedby]')].filter(e => !document.getElementById(e.getAttribute('aria-describedby'))).map(e => e.id)
            """);
        Assert.True(undescribed.Length == 0, "aria-describedby names a missing element: " + string.Join(", ", undescribed));
    }
}
