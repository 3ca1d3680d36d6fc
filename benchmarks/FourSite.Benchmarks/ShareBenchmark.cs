using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace FourSite.Benchmarks;

/// <summary>
/// Share tracking at a fixed arrival rate through the gateway and directly on the Viral service (each share from its own
/// session, spread over 50 sites so sites see concurrent shares), the most the gateway sustains, and how soon a share's
/// new score can be read back.
/// </summary>
public static class ShareBenchmark
{
    private static readonly string[] Platforms = ["twitter", "linkedin", "facebook", "reddit", "hackernews", "email", "copy"];

    public static async Task RunAsync(RunningPlatform platform, int rate, int seconds)
    {
        using var gateway = platform.Client("gateway");
        using var direct = platform.Client("viral");
        var sites = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
        Console.WriteLine("Warming up...");
        await Load.OpenLoop(rate / 2, 3, i => ShareOnce(gateway, sites[i % sites.Length], i));

        var onService = await Load.OpenLoop(rate, seconds, i => ShareOnce(direct, sites[i % sites.Length], i));
        var samples = await Load.OpenLoop(rate, seconds, i => ShareOnce(gateway, sites[i % sites.Length], i));
        Load.Report($"open loop {rate}/s for {seconds} s directly on the service", onService, seconds);
        Load.Report($"open loop {rate}/s for {seconds} s through the gateway", samples, seconds);

        var (count, wall, failures) = await Load.ClosedLoop(32, TimeSpan.FromSeconds(seconds / 2.0), () => ShareOnce(gateway, sites[Random.Shared.Next(sites.Length)], Random.Shared.Next()));
        Console.WriteLine($"## most sustained through the gateway: {count / wall.TotalSeconds:F0} req/s (32 clients, {wall.TotalSeconds:F0} s, {failures} errors)");

        var visible = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            visible.Add(await ShareToVisibleScore(gateway));
        }

        Console.WriteLine(Percentiles.Line("## share sent -> new score readable (100 shares, one at a time)", visible));
    }

    /// <summary>One share of <paramref name="site"/> from a session of its own, on the platforms in turn.</summary>
    public static Task<Sample> ShareOnce(HttpClient client, Guid site, int i)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/share/track")
        {
            Content = JsonContent.Create(new { websiteId = site, platform = Platforms[i % Platforms.Length], shareUrl = $"https://4site.pro/s/bench?via={Platforms[i % Platforms.Length]}" }),
        };
        request.Headers.Add("X-Session-Id", Guid.NewGuid().ToString("N"));
        return Load.Timed(() => client.SendAsync(request));
    }

    /// <summary>From sending a share of a fresh site until <c>GET /api/viral/sites/{id}</c> shows its score.</summary>
    private static async Task<double> ShareToVisibleScore(HttpClient client)
    {
        var site = Guid.NewGuid();
        var started = Stopwatch.GetTimestamp();
        using var share = new HttpRequestMessage(HttpMethod.Post, "/api/share/track") { Content = JsonContent.Create(new { websiteId = site, platform = "reddit", shareUrl = "https://4site.pro/s/bench" }) };
        share.Headers.Add("X-Session-Id", Guid.NewGuid().ToString("N"));
        using var sent = await client.SendAsync(share);
        while (true)
        {
            using var read = await client.GetAsync($"/api/viral/sites/{site}");
            if (read.IsSuccessStatusCode && (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("viralScore").GetDouble() > 0)
            {
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
    }
}
