using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace FourSite.Benchmarks;

/// <summary>
/// A site going viral: one site shared at a fixed rate (each share from its own session) through the gateway, with the
/// plan's other traffic beside it (40 captures and 40 vitals beacons a second) and the site's score read 10 times a
/// second. Afterwards, every share answered <c>201</c> must be stored once and folded into the site's record. The shared
/// site is generated first, as a site going viral is, so its record exists before the first share and every read finds it.
/// </summary>
public static class HotShareBenchmark
{
    public static async Task RunAsync(RunningPlatform platform, int rate, int seconds)
    {
        using var gateway = platform.Client("gateway");
        // The runtime recompiles every process's hot code through the first half minute of load: warm up on the same mix.
        Console.WriteLine("Warming up...");
        await MixAsync(gateway, await GeneratedSiteAsync(gateway, "warm-up"), rate / 2, 20);

        var site = await GeneratedSiteAsync(gateway, "viral");
        var cpuBefore = ProcessUsage.CpuMilliseconds();
        var wall = Stopwatch.StartNew();
        var (shares, reads, captures, beacons) = await MixAsync(gateway, site, rate, seconds);
        var busy = LeadCaptureBenchmark.BusyCores(cpuBefore, wall.Elapsed);

        Load.Report($"one site shared at {rate}/s for {seconds} s through the gateway", shares, seconds);
        Load.Report("its score read 10/s meanwhile", reads, seconds);
        Load.Report("captures 40/s meanwhile", captures, seconds);
        Load.Report("vitals beacons 40/s meanwhile", beacons, seconds);
        Console.WriteLine($"over {wall.Elapsed.TotalSeconds:F1} s until the last answer:{busy}");

        await CheckStoredAsync(platform, gateway, site, shares);
    }

    /// <summary>
    /// The soak: for <paramref name="minutes"/>, one site shared 10 times a second beside 40 captures, 40 vitals beacons
    /// and 5 generations a second, its score read 10 times a second. Every answer should be a 2xx, and every share
    /// answered <c>201</c> stored once.
    /// </summary>
    public static async Task SoakAsync(RunningPlatform platform, int minutes)
    {
        using var gateway = platform.Client("gateway");
        var seconds = minutes * 60;
        var site = await GeneratedSiteAsync(gateway, "soak");
        var cpuBefore = ProcessUsage.CpuMilliseconds();
        var wall = Stopwatch.StartNew();
        var generations = Load.OpenLoop(5, seconds, i => Load.Timed(() => gateway.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/soak/repo-{i}" })));
        var (shares, reads, captures, beacons) = await MixAsync(gateway, site, 10, seconds);
        var generated = await generations;
        var busy = LeadCaptureBenchmark.BusyCores(cpuBefore, wall.Elapsed);

        foreach (var (title, samples) in new[] { ("one site shared 10/s", shares), ("its score read 10/s", reads), ("captures 40/s", captures),
                     ("vitals beacons 40/s", beacons), ("generations 5/s", generated) })
        {
            Load.Report($"{title} for {minutes} min through the gateway", samples, seconds);
            Console.WriteLine($"answers other than 2xx: {string.Join(", ", samples.Where(sample => !sample.Ok).GroupBy(sample => sample.Status).Select(group => $"{(group.Key == 0 ? "no answer" : group.Key)}×{group.Count()}"))}");
        }

        Console.WriteLine($"over {wall.Elapsed.TotalSeconds:F1} s until the last answer:{busy}");
        await CheckStoredAsync(platform, gateway, site, shares);
    }

    /// <summary>Prints whether every share answered <c>201</c> is one stored row, counted and folded into the site's record.</summary>
    private static async Task CheckStoredAsync(RunningPlatform platform, HttpClient gateway, Guid site, List<Sample> shares)
    {
        var created = shares.Count(sample => sample.Status == (int)HttpStatusCode.Created);
        var counted = await CountedSharesAsync(gateway, site);
        await using var database = new NpgsqlConnection(await platform.ConnectionStringAsync("viraldb"));
        var folding = Stopwatch.StartNew();
        var folded = 0;
        while (folding.Elapsed < TimeSpan.FromSeconds(60) && (folded = await database.ExecuteScalarAsync<int>("SELECT shares FROM viral_scores WHERE website_id = @site", new { site })) < created)
        {
            await Task.Delay(50);
        }

        var stored = await database.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE website_id = @site", new { site });
        Console.WriteLine($"## shares answered 201: {created}; rows stored: {stored}; counted by GET /api/viral/sites: {counted}; " +
            $"folded into the record: {folded}, {folding.Elapsed.TotalMilliseconds:F0} ms after the last answer");
    }

    /// <summary>The site shared at <paramref name="rate"/>, its score read, and captures and beacons beside.</summary>
    private static async Task<(List<Sample> Shares, List<Sample> Reads, List<Sample> Captures, List<Sample> Beacons)> MixAsync(HttpClient gateway, Guid site, int rate, int seconds)
    {
        var shares = Load.OpenLoop(rate, seconds, i => ShareBenchmark.ShareOnce(gateway, site, i));
        var reads = Load.OpenLoop(10, seconds, _ => Load.Timed(() => gateway.GetAsync($"/api/viral/sites/{site}")));
        var captures = Load.OpenLoop(40, seconds, _ => LeadCaptureBenchmark.CaptureOnce(gateway));
        var beacons = Load.OpenLoop(40, seconds, i => MetricsBenchmark.BeaconOnce(gateway, i));
        return (await shares, await reads, await captures, await beacons);
    }

    /// <summary>A new site, generated through the gateway, once Viral knows it (its record readable).</summary>
    private static async Task<Guid> GeneratedSiteAsync(HttpClient gateway, string name)
    {
        using var generated = await gateway.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/hot/{name}-{Guid.NewGuid():N}" });
        generated.EnsureSuccessStatusCode();
        var site = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteId").GetGuid();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var record = await gateway.GetAsync($"/api/viral/sites/{site}");
            if (record.IsSuccessStatusCode || waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                return site;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<int> CountedSharesAsync(HttpClient client, Guid site)
    {
        using var response = await client.GetAsync($"/api/viral/sites/{site}");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shares").GetInt32() : 0;
    }
}
