using FourSite.Testing;
using Microsoft.Playwright;

namespace FourSite.E2E;

/// <summary>
/// Debian's headless Chromium driven by Playwright (no browser download: installed with apt-get when missing and
/// running as root, or <c>FOURSITE_CHROMIUM</c> naming another binary). Screenshots go to <c>screenshots/</c> beside the test assembly.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("FOURSITE_CHROMIUM") ?? "/usr/bin/chromium";

    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <param name="args">Command-line switches beyond the defaults (e.g. <c>--host-resolver-rules</c>).</param>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(params string[] args)
    {
        MachinePackages.Require("chromium", ExecutablePath, "the browser tests drive it", "FOURSITE_CHROMIUM");

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // The machine's network is closed: Chromium's own background traffic only produces refused connections.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. args],
        });
        return (playwright, browser);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
}
