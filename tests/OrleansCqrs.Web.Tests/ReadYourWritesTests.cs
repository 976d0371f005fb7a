using System.Globalization;

namespace OrleansCqrs.Web.Tests;

public sealed class ReadYourWritesTests(WebFixture web)
{
    private const int Deposits = 40;

    /// <summary>
    /// How long after a deposit's answer its new balance is on the page, as the page itself measures it
    /// (performance.now() at the answer and when the row shows the version). The target is 100 ms at p99 on
    /// this machine; the test asserts only a generous bound (it checks that balances arrive, it is no benchmark) and
    /// prints the figures.
    /// </summary>
    [Fact]
    public async Task Each_deposit_is_on_the_page_soon_after_its_answer()
    {
        var customer = $"r{Guid.NewGuid():N}"[..12];
        var account = $"{customer}-a";
        await using var browser = await BrowserPage.OpenAsync(web);
        await browser.SignInAsCustomerAsync(customer);
        await browser.OpenAccountAsync(account);

        var samples = new List<ReadYourWrite>();
        for (var i = 1; i <= Deposits; i++)
        {
            samples.Add(await browser.DepositAsync(account, "1"));
        }

        await Microsoft.Playwright.Assertions.Expect(browser.Balance(account)).ToHaveTextAsync($"{Deposits}.00");
        Assert.All(samples, s => Assert.Equal("live update", s.Via));
        var sorted = samples.Select(s => s.Ms).Order().ToArray();
        var (p50, p99, max) = (Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
        var report = string.Create(CultureInfo.InvariantCulture, $"Deposit answer → balance on the page over {Deposits} deposits: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {max:0.0} ms (target p99 ≤ 100 ms)");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(WebFixture.ScreenshotDirectory, "..", "read-your-writes.txt"), report + Environment.NewLine);
        Assert.True(p99 < 2000, report);
        browser.AssertNoConsoleErrors();
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
