using System.Diagnostics;

namespace FourSite.Benchmarks;

/// <summary>One request's outcome.</summary>
public sealed record Sample(bool Ok, double Milliseconds, int Status = 0);

/// <summary>Load shapes shared by the benchmarks, and their report.</summary>
public static class Load
{
    /// <summary>Sends at a fixed arrival rate (open loop: a slow answer does not slow the arrivals).</summary>
    public static async Task<List<Sample>> OpenLoop(int rate, int seconds, Func<int, Task<Sample>> send)
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

            tasks.Add(send(i));
        }

        return [.. await Task.WhenAll(tasks)];
    }

    /// <summary>As many requests as <paramref name="workers"/> clients get answered, each waiting for its answer.</summary>
    public static async Task<(int Count, TimeSpan Wall, int Failures)> ClosedLoop(int workers, TimeSpan duration, Func<Task<Sample>> send)
    {
        var count = 0;
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (wall.Elapsed < duration)
            {
                var sample = await send();
                Interlocked.Increment(ref count);
                if (!sample.Ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        return (count, wall.Elapsed, failures);
    }

    /// <summary>Times one request; a failed connection is an error sample, not a crash of the benchmark.</summary>
    public static async Task<Sample> Timed(Func<Task<HttpResponseMessage>> request)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await request();
            return new Sample(response.IsSuccessStatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, (int)response.StatusCode);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new Sample(false, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public static void Report(string title, List<Sample> samples, int seconds)
    {
        var ok = samples.Where(sample => sample.Ok).ToList();
        Console.WriteLine($"## {title}");
        Console.WriteLine($"requests {samples.Count} ({samples.Count / (double)seconds:F0}/s offered), ok {ok.Count}, errors {samples.Count - ok.Count}");
        Console.WriteLine(Percentiles.Line("latency", ok.Select(sample => sample.Milliseconds)));
    }
}
