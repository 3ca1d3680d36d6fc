using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace FourSite.Benchmarks;

/// <summary>
/// Generations through the gateway, each waiting for its stored site (closed loop). Pipeline overhead is the
/// <c>generationTime</c> the service reports: outbox, RabbitMQ, fetch, write, render, store.
/// </summary>
public static class GenerationBenchmark
{
    private sealed record Sample(int Status, double ClientMs, double PipelineMs);

    /// <param name="client">A client of the gateway: of the platform this benchmark started, or of an AppHost run by hand.</param>
    public static async Task RunAsync(HttpClient client, int generations, int concurrency)
    {
        // Repositories of this run only, so a second run against the same AppHost fetches each again.
        var run = Guid.NewGuid().ToString("N")[..8];
        var sequence = 0;

        async Task<Sample> GenerateOnce(bool sameRepository)
        {
            var name = sameRepository ? "cached" : $"repo-{run}-{Interlocked.Increment(ref sequence)}";
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

        static void Report(string title, List<Sample> samples, TimeSpan wall)
        {
            var ok = samples.Where(sample => sample.Status == 200).ToList();
            Console.WriteLine($"## {title}");
            Console.WriteLine($"requests {samples.Count}, ok {ok.Count}, errors {samples.Count - ok.Count} ({string.Join(", ", samples.Where(s => s.Status != 200).GroupBy(s => s.Status).Select(g => $"{g.Key}×{g.Count()}"))})");
            Console.WriteLine($"throughput {samples.Count / wall.TotalSeconds:F1} generations/s over {wall.TotalSeconds:F1} s");
            Console.WriteLine(Percentiles.Line("client latency", ok.Select(sample => sample.ClientMs)));
            Console.WriteLine(Percentiles.Line("pipeline (accepted→stored)", ok.Select(sample => sample.PipelineMs)));
        }

        Console.WriteLine("Warming up...");
        await Run(30, 4, sameRepository: false);
        var single = await Run(100, 1, sameRepository: false);
        Report("one client, distinct repositories (uncontended pipeline overhead)", single.Samples, single.Wall);
        var loaded = await Run(generations, concurrency, sameRepository: false);
        Report($"{concurrency} concurrent clients, distinct repositories (GitHub fetched each time)", loaded.Samples, loaded.Wall);
        var cached = await Run(generations, concurrency, sameRepository: true);
        Report($"{concurrency} concurrent clients, one repository (fetch and content reused)", cached.Samples, cached.Wall);
    }
}
