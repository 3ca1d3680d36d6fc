using System.Diagnostics;
using System.Net.Http.Json;

namespace FourSite.Benchmarks;

/// <summary>
/// Lead capture at a fixed arrival rate (open loop: a slow answer does not slow the arrivals), through the gateway and
/// directly on the Leads service, so the gateway's cost shows; then the most the gateway sustains (closed loop).
/// </summary>
public static class LeadCaptureBenchmark
{
    private sealed record Sample(bool Ok, double Milliseconds);

    public static async Task RunAsync(RunningPlatform platform, int rate, int seconds)
    {
        using var gateway = platform.Client("gateway");
        using var direct = platform.Client("leads");
        Console.WriteLine("Warming up...");
        await OpenLoop(gateway, rate / 2, 3);
        await OpenLoop(direct, rate / 2, 3);

        var viaGateway = await OpenLoop(gateway, rate, seconds);
        var viaService = await OpenLoop(direct, rate, seconds);
        Report($"open loop {rate}/s for {seconds} s through the gateway", viaGateway, seconds);
        Report($"open loop {rate}/s for {seconds} s directly on the service", viaService, seconds);
        var p99Ratio = Percentiles.Of(viaGateway.Where(s => s.Ok).Select(s => s.Milliseconds), 99) / Percentiles.Of(viaService.Where(s => s.Ok).Select(s => s.Milliseconds), 99);
        Console.WriteLine($"gateway cost: p99 ratio {p99Ratio:F2}");

        foreach (var (name, client) in new[] { ("the gateway", gateway), ("the service", direct) })
        {
            var (count, wall, failures) = await ClosedLoop(client, workers: 32, TimeSpan.FromSeconds(seconds / 2.0));
            Console.WriteLine($"## most sustained through {name}: {count / wall.TotalSeconds:F0} req/s (32 clients, {wall.TotalSeconds:F0} s, {failures} errors)");
        }
    }

    private static async Task<List<Sample>> OpenLoop(HttpClient client, int rate, int seconds)
    {
        var total = rate * seconds;
        var tasks = new List<Task<Sample>>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            tasks.Add(CaptureOnce(client));
        }

        return [.. await Task.WhenAll(tasks)];
    }

    private static async Task<(int Count, TimeSpan Wall, int Failures)> ClosedLoop(HttpClient client, int workers, TimeSpan duration)
    {
        var count = 0;
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (wall.Elapsed < duration)
            {
                var sample = await CaptureOnce(client);
                Interlocked.Increment(ref count);
                if (!sample.Ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return (count, wall.Elapsed, failures);
    }

    private static async Task<Sample> CaptureOnce(HttpClient client)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.PostAsJsonAsync("/api/leads/capture", new
            {
                email = $"load-{Guid.NewGuid():N}@example.com",
                siteId = "123e4567-e89b-12d3-a456-426614174000",
                projectType = "tech",
                template = "TechProjectTemplate",
                projectInterests = new[] { "AI/ML" },
                socialPlatforms = new[] { "twitter" },
                newsletterOptIn = true,
                metadata = new { timeOnSite = 90, scrollDepth = 70, interactionCount = 4, sectionsViewed = new[] { "hero", "features" }, deviceType = "desktop" },
            });
            return new Sample(response.IsSuccessStatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (HttpRequestException)
        {
            return new Sample(false, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static void Report(string title, List<Sample> samples, int seconds)
    {
        var ok = samples.Where(sample => sample.Ok).ToList();
        Console.WriteLine($"## {title}");
        Console.WriteLine($"requests {samples.Count} ({samples.Count / (double)seconds:F0}/s offered), ok {ok.Count}, errors {samples.Count - ok.Count}");
        Console.WriteLine(Percentiles.Line("latency", ok.Select(sample => sample.Milliseconds)));
    }
}
