using System.Net.Http.Json;

namespace FourSite.Benchmarks;

/// <summary>
/// Lead capture at a fixed arrival rate, through the gateway and directly on the Leads service, so the gateway's cost
/// shows; then the most the gateway sustains (closed loop).
/// </summary>
public static class LeadCaptureBenchmark
{
    public static async Task RunAsync(RunningPlatform platform, int rate, int seconds)
    {
        using var gateway = platform.Client("gateway");
        using var direct = platform.Client("leads");
        Console.WriteLine("Warming up...");
        await Load.OpenLoop(rate / 2, 3, _ => CaptureOnce(gateway));
        await Load.OpenLoop(rate / 2, 3, _ => CaptureOnce(direct));

        var viaGateway = await Load.OpenLoop(rate, seconds, _ => CaptureOnce(gateway));
        var viaService = await Load.OpenLoop(rate, seconds, _ => CaptureOnce(direct));
        Load.Report($"open loop {rate}/s for {seconds} s through the gateway", viaGateway, seconds);
        Load.Report($"open loop {rate}/s for {seconds} s directly on the service", viaService, seconds);
        var p99Ratio = Percentiles.Of(viaGateway.Where(s => s.Ok).Select(s => s.Milliseconds), 99) / Percentiles.Of(viaService.Where(s => s.Ok).Select(s => s.Milliseconds), 99);
        Console.WriteLine($"gateway cost: p99 ratio {p99Ratio:F2}");

        foreach (var (name, client) in new[] { ("the gateway", gateway), ("the service", direct) })
        {
            var (count, wall, failures) = await Load.ClosedLoop(32, TimeSpan.FromSeconds(seconds / 2.0), () => CaptureOnce(client));
            Console.WriteLine($"## most sustained through {name}: {count / wall.TotalSeconds:F0} req/s (32 clients, {wall.TotalSeconds:F0} s, {failures} errors)");
        }
    }

    public static Task<Sample> CaptureOnce(HttpClient client) =>
        Load.Timed(() => client.PostAsJsonAsync("/api/leads/capture", new
        {
            email = $"load-{Guid.NewGuid():N}@example.com",
            siteId = "123e4567-e89b-12d3-a456-426614174000",
            projectType = "tech",
            template = "TechProjectTemplate",
            projectInterests = new[] { "AI/ML" },
            socialPlatforms = new[] { "twitter" },
            newsletterOptIn = true,
            metadata = new { timeOnSite = 90, scrollDepth = 70, interactionCount = 4, sectionsViewed = new[] { "hero", "features" }, deviceType = "desktop" },
        }));
}
