using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(OrleansCqrs.Web.Tests.WebFixture))]

namespace OrleansCqrs.Web.Tests;

/// <summary>
/// The front end and a headless Chromium, shared by every test of the assembly. The browser is the system's
/// (Debian's chromium package; <c>ORLEANSCQRS_CHROMIUM</c> names another): Playwright's own browser download is never
/// run, since this machine reaches no browser download site.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "ORLEANSCQRS_CHROMIUM";

    /// <summary>Where screenshots are written: TestResults/screenshots beside the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public WebApp App { get; } = new();

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"No Chromium at {chromium}: install Debian's chromium package (apt-get install chromium; .ci/run does), or set {ChromiumVariable}.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        App.Start();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // A container's /dev/shm is often 64 MB, too small for the renderer's shared memory.
        Browser = await Playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--disable-dev-shm-usage"] });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        await App.DisposeAsync();
    }
}
