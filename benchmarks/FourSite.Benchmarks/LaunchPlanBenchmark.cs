using FourSite.Client;
using FourSite.Ops;

namespace FourSite.Benchmarks;

/// <summary>The seed's load plan (10 → 50 → 100 arrivals/s; 70 % generate, 20 % capture, 10 % share) on this machine.</summary>
public static class LaunchPlanBenchmark
{
    public static async Task RunAsync(RunningPlatform platform, int phaseSeconds)
    {
        using var gateway = platform.Client("gateway");
        var load = new LoadTest(FourSiteClient.For(gateway), n => $"https://github.com/octo/launch-{n}");
        var results = await load.RunAsync(LoadTest.Plan(TimeSpan.FromSeconds(phaseSeconds)), Console.Out, CancellationToken.None);
        Console.WriteLine($"## launch plan, {phaseSeconds}/{2 * phaseSeconds}/{phaseSeconds} s, through the gateway");
        LoadTest.Print(results, Console.Out);
        Console.WriteLine($"server errors {results.Sum(result => result.ServerErrors)}, worst p99 {results.Max(result => result.P99Ms):F0} ms");
    }
}
