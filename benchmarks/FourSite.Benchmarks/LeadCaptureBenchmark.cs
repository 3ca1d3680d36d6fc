using System.Diagnostics;
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
        // The runtime recompiles every process's hot code through the first seconds of load; that is not the gateway's cost.
        Console.WriteLine("Warming up...");
        await Load.OpenLoop(rate, 10, _ => CaptureOnce(gateway));
        await Load.OpenLoop(rate, 5, _ => CaptureOnce(direct));

        // Gateway, service, service, gateway: the order a run would otherwise favour (a process still warming, the machine
        // slowing down) weighs on both sides alike.
        var half = Math.Max(1, seconds / 2);
        List<Sample> viaGateway = [], viaService = [];
        foreach (var (samples, client, name) in new[] { (viaGateway, gateway, "gateway"), (viaService, direct, "service"), (viaService, direct, "service"), (viaGateway, gateway, "gateway") })
        {
            var cpuBefore = ProcessUsage.CpuMilliseconds();
            var clock = Stopwatch.StartNew();
            var round = await Load.OpenLoop(rate, half, _ => CaptureOnce(client));
            Console.WriteLine(Percentiles.Line($"  {half} s on the {name}", round.Where(s => s.Ok).Select(s => s.Milliseconds)) + BusyCores(cpuBefore, clock.Elapsed));
            samples.AddRange(round);
        }

        Load.Report($"open loop {rate}/s for {2 * half} s through the gateway", viaGateway, 2 * half);
        Load.Report($"open loop {rate}/s for {2 * half} s directly on the service", viaService, 2 * half);
        var p99Ratio = Percentiles.Of(viaGateway.Where(s => s.Ok).Select(s => s.Milliseconds), 99) / Percentiles.Of(viaService.Where(s => s.Ok).Select(s => s.Milliseconds), 99);
        Console.WriteLine($"gateway cost: p99 ratio {p99Ratio:F2}");

        var sustained = new Dictionary<string, (int Count, double Seconds, int Failures)>();
        foreach (var (name, client) in new[] { ("the gateway", gateway), ("the service", direct), ("the service", direct), ("the gateway", gateway) })
        {
            var cpuBefore = ProcessUsage.CpuMilliseconds();
            var (count, wall, failures) = await Load.ClosedLoop(32, TimeSpan.FromSeconds(half / 2.0), () => CaptureOnce(client));
            Console.WriteLine($"  {count / wall.TotalSeconds:F0} req/s through {name}{BusyCores(cpuBefore, wall)}");
            var sum = sustained.GetValueOrDefault(name);
            sustained[name] = (sum.Count + count, sum.Seconds + wall.TotalSeconds, sum.Failures + failures);
        }

        foreach (var (name, (count, wallSeconds, failures)) in sustained)
        {
            Console.WriteLine($"## most sustained through {name}: {count / wallSeconds:F0} req/s (32 clients, {wallSeconds:F0} s, {failures} errors)");
        }
    }

    /// <summary>How many of the machine's cores the system kept busy over a round, and the three groups that used most of them.</summary>
    public static string BusyCores(Dictionary<string, double> cpuBefore, TimeSpan wall)
    {
        var used = ProcessUsage.CpuMilliseconds().ToDictionary(group => group.Key, group => (group.Value - cpuBefore[group.Key]) / wall.TotalMilliseconds);
        var top = used.OrderByDescending(group => group.Value).Take(3).Select(group => $"{group.Key} {group.Value:F2}");
        return $"  busy cores {used.Values.Sum():F2} of {Environment.ProcessorCount} ({string.Join(", ", top)})";
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
