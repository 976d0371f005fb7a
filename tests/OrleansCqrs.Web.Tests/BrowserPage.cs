using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansCqrs.Web.Tests;

/// <summary>
/// One browser tab on the page at a given size, in a fresh context (its own sessionStorage), recording every console
/// error and uncaught exception. The API's refusals a test provokes on purpose (a 4xx on /api/) are logged by Chromium
/// as "Failed to load resource" and are not the page's errors; everything else is.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IBrowserContext _context;
    // Written by Playwright's event thread while the test reads them.
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _allowed = new();

    private BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsApiRefusal(message) && !_allowed.Any(message.Text.Contains))
            {
                _errors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"uncaught: {error}");
    }

    public IPage Page { get; }

    public static async Task<BrowserPage> OpenAsync(WebFixture web, ViewportSize? size = null, WebApp? app = null)
    {
        var context = await web.Browser.NewContextAsync(new() { ViewportSize = size ?? Desktop, BaseURL = (app ?? web.App).Address.ToString() });
        var page = new BrowserPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync("/");
        return page;
    }

    /// <summary>Console errors containing <paramref name="text"/> are expected from here on (a request a test cuts off).</summary>
    public void Allow(string text) => _allowed.Enqueue(text);

    public ILocator Form(string id) => Page.Locator($"#{id}");

    public ILocator Balance(string accountId) => Page.Locator($"#accounts tr[data-account-id=\"{accountId}\"] td.balance");

    public async Task SignInAsCustomerAsync(string customerId)
    {
        await Page.GetByLabel("Customer id").FillAsync(customerId);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this customer" }).ClickAsync();
        await Expect(Page.Locator("body")).ToHaveAttributeAsync("data-view", "customer");
        await Expect(Page.Locator("#live-state")).ToHaveTextAsync("live");
    }

    public async Task SignInAsOperatorAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as an operator" }).ClickAsync();
        await Expect(Page.Locator("body")).ToHaveAttributeAsync("data-view", "operator");
    }

    /// <summary>Submits a command form and waits until the page says the read model caught up with it.</summary>
    public async Task<ReadYourWrite> SubmitAndCatchUpAsync(string formId, string button)
    {
        var before = await ReadYourWritesCountAsync();
        await Form(formId).GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Page.WaitForFunctionAsync("n => globalThis.orleansCqrsPage.readYourWrites.length > n", before, new() { Timeout = 15_000 });
        var last = await Page.EvaluateAsync<JsonElement>("() => globalThis.orleansCqrsPage.readYourWrites.at(-1)");
        return new ReadYourWrite(
            last.GetProperty("label").GetString()!,
            last.GetProperty("accountId").GetString()!,
            last.GetProperty("version").GetInt64(),
            last.GetProperty("ms").GetDouble(),
            last.GetProperty("via").GetString()!);
    }

    public Task<int> ReadYourWritesCountAsync() => Page.EvaluateAsync<int>("() => globalThis.orleansCqrsPage.readYourWrites.length");

    public async Task OpenAccountAsync(string accountId)
    {
        await Form("open-form").GetByLabel("Account id (optional)").FillAsync(accountId);
        await SubmitAndCatchUpAsync("open-form", "Open");
        await Expect(Balance(accountId)).ToHaveTextAsync("0.00");
    }

    public async Task<ReadYourWrite> DepositAsync(string accountId, string amount)
    {
        await Form("deposit-form").GetByLabel("Account").SelectOptionAsync(accountId);
        await Form("deposit-form").GetByLabel("Amount").FillAsync(amount);
        return await SubmitAndCatchUpAsync("deposit-form", "Deposit");
    }

    public async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(WebFixture.ScreenshotDirectory, $"{name}.png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
    }

    public void AssertNoConsoleErrors()
    {
        var errors = _errors.ToArray();
        Assert.True(errors.Length == 0, "The page logged errors:\n" + string.Join('\n', errors));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private static bool IsApiRefusal(IConsoleMessage message) =>
        message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)
        && message.Location.Contains("/api/", StringComparison.Ordinal);
}
