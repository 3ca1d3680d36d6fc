using System.Globalization;
using System.Net.Http.Json;

namespace FourSite.Benchmarks;

/// <summary>
/// Where the time goes: the CPU each process of the system spends per generation, per lead capture and per share of one
/// hot site (read from /proc around each load, with the system's idle cost measured first), the memory of each at the
/// load's peak (proportional set size), and the round trips each operation costs the servers (PostgreSQL transactions
/// and row changes, Redis commands). The last rows are the platform's own cost, without this process, and that less
/// what the platform spends idle over the same time.
/// </summary>
public static class ProfileBenchmark
{
    /// <param name="gateway">The gateway of the platform the harness started, or of an AppHost run by hand (<c>--target</c>).</param>
    /// <param name="servers">PostgreSQL's and Redis's connection strings, to count their round trips; unknown for an AppHost run by hand.</param>
    /// <param name="telemetry">When every process exports to a counter: also what each operation sends (spans, log records, metric bytes).</param>
    public static async Task RunAsync(HttpClient gateway, (string Postgres, string Redis)? servers, int generationSeconds, int captureSeconds, TelemetryCounter? telemetry = null)
    {
        await using var counters = servers is { } known ? await ServerCounters.ConnectAsync(known.Postgres, known.Redis) : null;
        var sequence = 0;
        Task<Sample> GenerateOnce() => Load.Timed(() => gateway.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/profile/repo-{Interlocked.Increment(ref sequence)}" }));

        Console.WriteLine("Warming up...");
        await Load.ClosedLoop(4, TimeSpan.FromSeconds(5), GenerateOnce);
        await Load.OpenLoop(100, 3, _ => LeadCaptureBenchmark.CaptureOnce(gateway));
        // Long enough for the warm-up's messages to settle and the runtime to finish recompiling hot methods.
        await Task.Delay(TimeSpan.FromSeconds(30));

        var idle = await MeasureAsync(counters, telemetry, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            return 10;
        });
        var generation = await MeasureAsync(counters, telemetry, async () =>
        {
            var (count, _, failures) = await Load.ClosedLoop(16, TimeSpan.FromSeconds(generationSeconds), GenerateOnce);
            return count - failures;
        });
        var capture = await MeasureAsync(counters, telemetry, async () =>
        {
            var samples = await Load.OpenLoop(200, captureSeconds, _ => LeadCaptureBenchmark.CaptureOnce(gateway));
            return samples.Count(sample => sample.Ok);
        });
        // Every share of one site: the hot site's path, as it goes viral. The captures' emails settle first, so they are not counted to the shares.
        await Task.Delay(TimeSpan.FromSeconds(15));
        var hotSite = Guid.NewGuid();
        var share = await MeasureAsync(counters, telemetry, async () =>
        {
            var samples = await Load.OpenLoop(200, captureSeconds, i => ShareBenchmark.ShareOnce(gateway, hotSite, i));
            return samples.Count(sample => sample.Ok);
        });

        Console.WriteLine($"## idle: CPU ms per second over {idle.Wall.TotalSeconds:F0} s");
        Console.WriteLine($"## generations: {generation.Operations} at 16 clients in {generation.Wall.TotalSeconds:F1} s; captures: {capture.Operations} at 200/s in {capture.Wall.TotalSeconds:F1} s; " +
            $"shares of one site: {share.Operations} at 200/s in {share.Wall.TotalSeconds:F1} s");
        Console.WriteLine();
        Console.WriteLine("| Process | idle CPU ms/s | CPU ms per generation | CPU ms per capture | CPU ms per share | peak memory MiB (generations) | peak memory MiB (captures) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var runs = new[] { generation, capture, share };
        void Row(string name, Func<string, bool> included, bool lessIdle = false)
        {
            double Sum(IReadOnlyDictionary<string, double> values) => values.Where(value => included(value.Key)).Sum(value => value.Value);
            var idlePerSecond = Sum(idle.Cpu) / idle.Wall.TotalSeconds;
            var perOperation = runs.Select(run => ((Sum(run.Cpu) - (lessIdle ? idlePerSecond * run.Wall.TotalSeconds : 0)) / run.Operations).ToString("F2", CultureInfo.InvariantCulture));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {(lessIdle ? "—" : idlePerSecond.ToString("F1", CultureInfo.InvariantCulture))} | {string.Join(" | ", perOperation)} | {(lessIdle ? "— | —" : $"{Sum(generation.PeakRss):F0} | {Sum(capture.PeakRss):F0}")} |"));
        }

        foreach (var group in ProcessUsage.Groups)
        {
            Row(group, key => key == group);
        }

        Row("all", _ => true);
        // The platform's own cost: without the load generator (and GitHub's stand-in, in the same process), and then
        // without what the platform spends anyway, idle, over the same time.
        Row("the platform: all but this benchmark's process", key => key != ProcessUsage.Benchmark);
        Row("the platform, less its idle cost", key => key != ProcessUsage.Benchmark, lessIdle: true);
        Console.WriteLine();
        foreach (var (name, run) in new[] { ("idle (per second)", idle with { Operations = (int)idle.Wall.TotalSeconds }), ("generation", generation), ("capture", capture), ("share", share) })
        {
            if (run.Servers is { } counts)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"## per {name}: PostgreSQL {counts.Transactions.Values.Sum() / (double)run.Operations:F1} transactions ({string.Join(", ", counts.Transactions.Where(database => database.Value > 0).Select(database => $"{database.Key} {database.Value / (double)run.Operations:F1}"))}), {counts.RowChanges / (double)run.Operations:F1} row changes; Redis {counts.RedisCommands / (double)run.Operations:F1} commands"));
            }
        }

        if (telemetry is not null)
        {
            PrintTelemetry(idle with { Operations = (int)idle.Wall.TotalSeconds }, generation, capture);
        }
    }

    /// <summary>What each service exported per idle second, per generation and per capture; then the scopes that sent the most.</summary>
    private static void PrintTelemetry(Run idle, Run generation, Run capture)
    {
        Console.WriteLine();
        Console.WriteLine("| Service | spans per idle s / generation / capture | log records per idle s / generation / capture | metric KiB per idle s / generation / capture |");
        Console.WriteLine("|---|---|---|---|");
        var services = new[] { idle, generation, capture }.SelectMany(run => run.Telemetry.Keys).Select(key => key.Service).Distinct().Order().ToList();
        foreach (var service in services.Append("all"))
        {
            string Per(string signal, double divisor = 1) => string.Join(" / ", new[] { idle, generation, capture }.Select(run =>
                (run.Telemetry.Where(entry => entry.Key.Signal == signal && (service == "all" || entry.Key.Service == service)).Sum(entry => entry.Value) / divisor / run.Operations)
                .ToString("F1", CultureInfo.InvariantCulture)));
            Console.WriteLine($"| {service} | {Per("spans")} | {Per("logs")} | {Per("metrics", 1024)} |");
        }

        foreach (var (signal, name, run, divisor) in new[]
                 { ("spans", "generation", generation, 1.0), ("roots", "generation", generation, 1.0), ("logs", "generation", generation, 1.0), ("spans", "capture", capture, 1.0), ("logs", "capture", capture, 1.0), ("metrics KiB", "idle second", idle, 1024.0) })
        {
            var top = run.Telemetry.Where(entry => signal.StartsWith(entry.Key.Signal, StringComparison.Ordinal) && entry.Value > 0)
                .OrderByDescending(entry => entry.Value).Take(12)
                .Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.Key.Service}/{entry.Key.Scope} {entry.Value / divisor / run.Operations:F1}"));
            Console.WriteLine($"## {signal} per {name}, by service and scope: {string.Join(", ", top)}");
        }
    }

    private sealed record Run(
        int Operations, TimeSpan Wall, Dictionary<string, double> Cpu, Dictionary<string, double> PeakRss, ServerCounts? Servers,
        Dictionary<(string Signal, string Service, string Scope), long> Telemetry);

    private static async Task<Run> MeasureAsync(ServerCounters? counters, TelemetryCounter? telemetry, Func<Task<int>> load)
    {
        var exported = telemetry?.Snapshot() ?? [];
        var servers = counters is null ? null : await counters.ReadAsync();
        var cpu = ProcessUsage.CpuMilliseconds();
        var peak = ProcessUsage.Groups.ToDictionary(group => group, _ => 0.0);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var (group, mebibytes) in ProcessUsage.ResidentMebibytes())
                {
                    peak[group] = Math.Max(peak[group], mebibytes);
                }

                // Reading every process's smaps_rollup costs this process ~0.1 s of (kernel) CPU: not more often than this.
                await Task.Delay(2000, CancellationToken.None);
            }
        });
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var operations = await load();
        wall.Stop();
        var after = ProcessUsage.CpuMilliseconds();
        await sampling.CancelAsync();
        await sampler;
        var serversAfter = counters is null ? null : await counters.ReadAsync();
        var exportedAfter = telemetry?.Snapshot() ?? [];
        return new Run(Math.Max(operations, 1), wall.Elapsed, after.ToDictionary(entry => entry.Key, entry => entry.Value - cpu[entry.Key]), peak,
            servers is null ? null : serversAfter!.Since(servers),
            exportedAfter.ToDictionary(entry => entry.Key, entry => entry.Value - exported.GetValueOrDefault(entry.Key)));
    }
}
