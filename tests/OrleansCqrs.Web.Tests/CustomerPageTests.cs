using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansCqrs.Web.Tests;

public sealed class CustomerPageTests(WebFixture web)
{
    private static string NewCustomer() => $"c{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task A_customer_signs_in_opens_an_account_deposits_and_sees_the_balance_change_live()
    {
        var customer = NewCustomer();
        var account = $"{customer}-main";
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync(account);

        var deposit = await browser.DepositAsync(account, "100");
        await Expect(browser.Balance(account)).ToHaveTextAsync("100.00");
        Assert.Equal(2, deposit.Version);
        await Expect(browser.Page.Locator("#ryw")).ToContainTextAsync("caught up in");

        // Another client of the same customer deposits: nothing on the page asks, only the live stream can bring it.
        await browser.Page.EvaluateAsync("() => { globalThis.notReloaded = true; }");
        using var phone = web.App.Customer(customer);
        await phone.DepositAsync(account, 25.5m);
        await Expect(browser.Balance(account)).ToHaveTextAsync("125.50");
        await Expect(browser.Page.Locator("#live-announce")).ToContainTextAsync("125.50");
        Assert.True(await browser.Page.EvaluateAsync<bool>("() => globalThis.notReloaded === true"), "The page was reloaded.");

        await browser.ScreenshotAsync("customer-desktop");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_deposit_is_shown_through_the_live_stream_not_a_read()
    {
        var customer = NewCustomer();
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync($"{customer}-a");

        var deposit = await browser.DepositAsync($"{customer}-a", "10");

        // The page falls back to a read with minVersion only when no frame came for a few seconds.
        Assert.Equal("live update", deposit.Via);
        await Expect(browser.Page.Locator("#ryw")).ToHaveAttributeAsync("data-via", "live update");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_live_stream_reconnects_after_it_fails_and_the_page_reads_what_it_missed()
    {
        var customer = NewCustomer();
        var account = $"{customer}-a";
        using var api = web.App.Customer(customer);
        await api.OpenAsync(account);
        await using var browser = await BrowserPage.OpenAsync(web);

        // The first two connections fail; the page tries again (with backoff) until one holds.
        var attempts = 0;
        await browser.Page.RouteAsync("**/api/live", async route =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                await api.DepositAsync(account, 1);
                await route.AbortAsync();
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        browser.Allow("net::ERR_FAILED");
        await browser.SignInAsCustomerAsync(customer);

        // The deposits made while it was away are read on reconnecting; the next arrives live.
        await Expect(browser.Balance(account)).ToHaveTextAsync("2.00");
        await api.DepositAsync(account, 3);
        await Expect(browser.Balance(account)).ToHaveTextAsync("5.00");
        Assert.True(attempts >= 3, $"{attempts} connection attempts");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_withdrawal_beyond_the_balance_is_refused_next_to_the_form()
    {
        var customer = NewCustomer();
        var account = $"{customer}-a";
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync(account);
        await browser.DepositAsync(account, "10");

        var form = browser.Form("withdraw-form");
        await form.GetByLabel("Account").SelectOptionAsync(account);
        await form.GetByLabel("Amount").FillAsync("50");
        await form.GetByRole(AriaRole.Button, new() { Name = "Withdraw" }).ClickAsync();

        var error = browser.Page.Locator("#withdraw-form-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("insufficient-funds");
        await Expect(error).ToContainTextAsync("does not cover a withdrawal of 50");
        await Expect(browser.Balance(account)).ToHaveTextAsync("10.00");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_bad_amount_is_shown_next_to_its_field()
    {
        var customer = NewCustomer();
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync($"{customer}-a");

        var form = browser.Form("deposit-form");
        var amount = form.GetByLabel("Amount");
        await amount.FillAsync("-3");
        await form.GetByRole(AriaRole.Button, new() { Name = "Deposit" }).ClickAsync();

        var error = browser.Page.Locator("#deposit-amount-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).Not.ToBeEmptyAsync();
        await Expect(amount).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(amount).ToHaveAttributeAsync("aria-describedby", "deposit-amount-error");
        await Expect(amount).ToBeFocusedAsync();
        // The field's own error, not a message under the form.
        await Expect(browser.Page.Locator("#deposit-form-error")).ToBeHiddenAsync();

        // Corrected, it goes through and the error goes away.
        await amount.FillAsync("3");
        await browser.SubmitAndCatchUpAsync("deposit-form", "Deposit");
        await Expect(error).ToBeHiddenAsync();
        await Expect(amount).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await browser.ScreenshotAsync("field-error-desktop");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_account_closes_only_at_zero_and_then_leaves_the_command_forms()
    {
        var customer = NewCustomer();
        var (keep, drop) = ($"{customer}-keep", $"{customer}-drop");
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync(keep);
        await browser.OpenAccountAsync(drop);
        await browser.DepositAsync(keep, "1");

        var close = browser.Form("close-form");
        await close.GetByLabel("Account").SelectOptionAsync(keep);
        await close.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(browser.Page.Locator("#close-form-error")).ToContainTextAsync("balance-not-zero");

        await close.GetByLabel("Account").SelectOptionAsync(drop);
        await browser.SubmitAndCatchUpAsync("close-form", "Close");
        await Expect(browser.Page.Locator($"#accounts tr[data-account-id=\"{drop}\"]")).ToContainTextAsync("Closed");
        await Expect(browser.Form("deposit-form").Locator($"option[value=\"{drop}\"]")).ToHaveCountAsync(0);
        // The form whose chosen account just closed chooses an open one, not nothing.
        await Expect(close.GetByLabel("Account")).ToHaveValueAsync(keep);
        await Expect(browser.Page.Locator($"#statement-account option[value=\"{drop}\"]")).ToHaveCountAsync(1);
        browser.AssertNoConsoleErrors();
    }

    /// <summary>
    /// A closed account holds money only when a transfer's refund came back after it closed (the account's own rule,
    /// tested in the bank's tests); the page offers it for withdrawal and for nothing else. The portfolio's answer is
    /// rewritten to show that state, which a real run reaches only through a race.
    /// </summary>
    [Fact]
    public async Task A_closed_account_holding_a_refund_is_offered_for_withdrawal_only()
    {
        var customer = NewCustomer();
        var account = $"{customer}-refunded";
        using var api = web.App.Customer(customer);
        await api.OpenAsync(account);
        await api.DepositAsync(account, 5);
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.Page.RouteAsync("**/api/customers/*/portfolio", async route =>
        {
            var response = await route.FetchAsync();
            var body = (await response.TextAsync()).Replace("\"status\":\"Open\"", "\"status\":\"Closed\"", StringComparison.Ordinal);
            await route.FulfillAsync(new() { Response = response, Body = body });
        });

        await browser.SignInAsCustomerAsync(customer);

        await Expect(browser.Page.Locator($"#accounts tr[data-account-id=\"{account}\"]")).ToContainTextAsync("Closed");
        await Expect(browser.Form("withdraw-form").Locator($"option[value=\"{account}\"]")).ToHaveCountAsync(1);
        foreach (var form in new[] { "deposit-form", "transfer-form", "close-form" })
        {
            await Expect(browser.Form(form).Locator($"select.account-select option[value=\"{account}\"]")).ToHaveCountAsync(0);
        }

        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_currency_the_bank_does_not_know_is_shown_next_to_the_currency_field()
    {
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(NewCustomer());
        var form = browser.Form("open-form");
        await form.GetByLabel("Currency").FillAsync("XYZ");
        await form.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        await Expect(browser.Page.Locator("#open-currency-error")).ToContainTextAsync("XYZ");
        await Expect(form.GetByLabel("Currency")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(browser.Page.Locator("#no-accounts")).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_deposit_whose_answer_was_lost_is_applied_once_when_sent_again()
    {
        var customer = NewCustomer();
        var account = $"{customer}-a";
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync(account);

        // The first deposit reaches the API and is applied, but its answer never reaches the page.
        var cut = 0;
        await browser.Page.RouteAsync("**/api/accounts/*/deposit", async route =>
        {
            if (Interlocked.Increment(ref cut) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync();
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        browser.Allow("net::ERR_FAILED");
        var form = browser.Form("deposit-form");
        await form.GetByLabel("Amount").FillAsync("10");
        await form.GetByRole(AriaRole.Button, new() { Name = "Deposit" }).ClickAsync();
        await Expect(browser.Page.Locator("#deposit-form-error")).ToContainTextAsync("could not be reached");

        // The user tries again: the same Idempotency-Key, so the API answers the first outcome.
        var retry = await browser.SubmitAndCatchUpAsync("deposit-form", "Deposit");
        Assert.Equal(2, retry.Version);
        await Expect(browser.Balance(account)).ToHaveTextAsync("10.00");
        using var api = web.App.Customer(customer);
        var summary = await api.GetStringAsync($"/api/accounts/{account}");
        Assert.Contains("\"version\":2", summary, StringComparison.Ordinal);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_transfer_whose_end_no_frame_brings_is_read_and_leaves_the_pending_list()
    {
        // The live stream is refused (the front end's only place is taken), so no frame says how the transfer ended.
        await using var app = new WebApp(("OrleansCqrs:Live:MaxListeners", "1"));
        app.Start();
        using var holder = app.Operator();
        using var held = await holder.GetAsync(new Uri("/api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        var customer = NewCustomer();
        var (from, to) = ($"{customer}-from", $"{customer}-to");
        using var owner = app.Customer(customer);
        foreach (var account in new[] { from, to })
        {
            using var opened = await owner.PostAsync(new Uri("/api/accounts", UriKind.Relative), new StringContent($$"""{"currency":"EUR","accountId":"{{account}}"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        using var deposited = await owner.PostAsync(new Uri($"/api/accounts/{from}/deposit", UriKind.Relative), new StringContent("""{"amount":100}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, deposited.StatusCode);
        await using var browser = await BrowserPage.OpenAsync(web, app: app);
        browser.Allow("503");
        await browser.Page.GetByLabel("Customer id").FillAsync(customer);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in as this customer" }).ClickAsync();
        await Expect(browser.Balance(from)).ToHaveTextAsync("100.00");

        var form = browser.Form("transfer-form");
        await form.GetByLabel("From").SelectOptionAsync(from);
        await form.GetByLabel("To account id").FillAsync(to);
        await form.GetByLabel("Amount").FillAsync("40");
        await form.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();

        await Expect(browser.Page.Locator("#ryw")).ToContainTextAsync("completed in", new() { Timeout = 20_000 });
        await Expect(browser.Page.Locator("#ryw")).ToContainTextAsync("(read)");
        await Expect(browser.Page.Locator("#pending-transfers")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_transfer_between_two_own_accounts_moves_the_money_on_screen()
    {
        var customer = NewCustomer();
        var (from, to) = ($"{customer}-from", $"{customer}-to");
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync(from);
        await browser.OpenAccountAsync(to);
        await browser.DepositAsync(from, "100");

        var form = browser.Form("transfer-form");
        await form.GetByLabel("From").SelectOptionAsync(from);
        await form.GetByLabel("To account id").FillAsync(to);
        await form.GetByLabel("Amount").FillAsync("40");
        await form.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();

        await Expect(browser.Page.Locator("#ryw")).ToContainTextAsync("completed in");
        await Expect(browser.Balance(from)).ToHaveTextAsync("60.00");
        await Expect(browser.Balance(to)).ToHaveTextAsync("40.00");
        await Expect(browser.Page.Locator("#transfer-form-error")).ToBeHiddenAsync();

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = $"Statement of {from}" }).ClickAsync();
        await Expect(browser.Page.Locator("#statement tbody tr").First).ToContainTextAsync("transfer-out");
        await Expect(browser.Page.Locator("#statement tbody tr").First).ToContainTextAsync(to);
        await browser.ScreenshotAsync("transfer-desktop");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_statement_pages_back_and_draws_the_balance_over_time()
    {
        var customer = NewCustomer();
        var account = $"{customer}-a";
        using var api = web.App.Customer(customer);
        await api.OpenAsync(account);
        for (var i = 1; i <= 25; i++)
        {
            await api.DepositAsync(account, i);
        }

        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = $"Statement of {account}" }).ClickAsync();

        var rows = browser.Page.Locator("#statement tbody tr");
        await Expect(rows).ToHaveCountAsync(20);
        await Expect(rows.First).ToHaveAttributeAsync("data-version", "26");
        await Expect(browser.Page.Locator("#balance-chart")).ToHaveAttributeAsync("data-points", "20");
        await Expect(browser.Page.Locator("#balance-chart polyline")).ToHaveCountAsync(1);

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Older entries" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(26);
        await Expect(rows.Last).ToContainTextAsync("opened");
        await Expect(browser.Page.Locator("#balance-chart")).ToHaveAttributeAsync("data-points", "26");
        await Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Older entries" })).ToBeHiddenAsync();

        // The balance after all 25 deposits (1 + 2 + ... + 25) heads the statement.
        await Expect(rows.First.Locator("td").Nth(4)).ToHaveTextAsync("325.00");

        // A change arriving live refreshes the statement shown.
        await api.DepositAsync(account, 5);
        await Expect(rows.First).ToHaveAttributeAsync("data-version", "27");
        await browser.ScreenshotAsync("statement-desktop");
        browser.AssertNoConsoleErrors();
    }
}
