using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FourSite.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Generation throughput and pipeline overhead through the gateway, with the whole AppHost running on this machine,
// GitHub faked on loopback and the built-in writer. Usage:
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- [generations=400] [concurrency=16]
var generations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;

using var gitHub = new GitHubFake();
gitHub.AddEveryRepository();

Console.WriteLine($"Starting the platform ({Environment.ProcessorCount} cores)...");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FourSite_AppHost>(
    [$"FourSite:GitHub:ApiUrl={gitHub.Url}", "FourSite:Gateway:RateLimiting:Enabled=false"]);
// Start-up health probes fail until each resource is up; only the report matters here.
builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error).AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
await using var app = await builder.BuildAsync();
await app.StartAsync();
await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");
using var client = app.CreateHttpClient("gateway", "http");
client.Timeout = TimeSpan.FromSeconds(60);
while (!(await client.GetAsync(new Uri("/api/health", UriKind.Relative))).IsSuccessStatusCode)
{
    await Task.Delay(500);
}

var sequence = 0;
async Task<Sample> GenerateOnce(bool sameRepository)
{
    var name = sameRepository ? "cached" : $"repo-{Interlocked.Increment(ref sequence)}";
    var started = Stopwatch.GetTimestamp();
    using var response = await client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/bench/{name}" });
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
    {
        return new Sample((int)response.StatusCode, elapsed, double.NaN);
    }

    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
    return new Sample(200, elapsed, body.GetProperty("generationTime").GetDouble());
}

async Task<(List<Sample> Samples, TimeSpan Wall)> Run(int count, int workers, bool sameRepository)
{
    var samples = new List<Sample>(count);
    var remaining = count;
    var wall = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
    {
        while (Interlocked.Decrement(ref remaining) >= 0)
        {
            var sample = await GenerateOnce(sameRepository);
            lock (samples)
            {
                samples.Add(sample);
            }
        }
    }));
    return (samples, wall.Elapsed);
}

void Report(string title, List<Sample> samples, TimeSpan wall)
{
    var ok = samples.Where(sample => sample.Status == 200).ToList();
    var client = ok.Select(sample => sample.ClientMs).Order().ToArray();
    var pipeline = ok.Select(sample => sample.PipelineMs).Order().ToArray();
    Console.WriteLine($"## {title}");
    Console.WriteLine($"requests {samples.Count}, ok {ok.Count}, errors {samples.Count - ok.Count} ({string.Join(", ", samples.Where(s => s.Status != 200).GroupBy(s => s.Status).Select(g => $"{g.Key}×{g.Count()}"))})");
    Console.WriteLine($"throughput {samples.Count / wall.TotalSeconds:F1} generations/s over {wall.TotalSeconds:F1} s");
    Console.WriteLine($"client latency ms   p50 {Percentile(client, 50):F0}  p95 {Percentile(client, 95):F0}  p99 {Percentile(client, 99):F0}");
    Console.WriteLine($"pipeline (accepted→stored) ms p50 {Percentile(pipeline, 50):F0}  p95 {Percentile(pipeline, 95):F0}  p99 {Percentile(pipeline, 99):F0}");
}

static double Percentile(double[] sorted, int percentile) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

Console.WriteLine("Warming up...");
await Run(30, 4, sameRepository: false);

var single = await Run(100, 1, sameRepository: false);
Report("one client, distinct repositories (uncontended pipeline overhead)", single.Samples, single.Wall);
var loaded = await Run(generations, concurrency, sameRepository: false);
Report($"{concurrency} concurrent clients, distinct repositories (GitHub fetched each time)", loaded.Samples, loaded.Wall);
var cached = await Run(generations, concurrency, sameRepository: true);
Report($"{concurrency} concurrent clients, one repository (fetch and content reused)", cached.Samples, cached.Wall);

internal sealed record Sample(int Status, double ClientMs, double PipelineMs);
