using System.Globalization;

namespace FourSite.Benchmarks;

/// <summary>
/// What an AppHost run by hand (as operators run it) costs when nothing is asked of it: the CPU of each of its processes,
/// read from <c>/proc</c> over a few windows, in milliseconds a second. The benchmark only reads: it starts nothing, so
/// its own process is not among the figures.
/// </summary>
public static class IdleBenchmark
{
    public static async Task RunAsync(int seconds, int windows)
    {
        var groups = ProcessUsage.Groups;
        Console.WriteLine($"## idle AppHost as run: CPU ms per second, {windows} windows of {seconds} s");
        Console.WriteLine($"| Window (UTC) | {string.Join(" | ", groups)} | all |");
        Console.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", groups.Length + 1))}");
        for (var window = 0; window < windows; window++)
        {
            var started = DateTime.UtcNow;
            var before = ProcessUsage.CpuMillisecondsByProcess();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var after = ProcessUsage.CpuMillisecondsByProcess();
            var elapsed = clock.Elapsed.TotalSeconds;
            // A process started within the window counts from zero; one that ended within it is left out.
            var perSecond = groups.ToDictionary(group => group, group => after
                .Where(process => process.Value.Group == group)
                .Sum(process => process.Value.Milliseconds - (before.TryGetValue(process.Key, out var earlier) ? earlier.Milliseconds : 0)) / elapsed);
            Console.WriteLine($"| {started.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} | " +
                string.Join(" | ", groups.Select(group => perSecond[group].ToString("F1", CultureInfo.InvariantCulture))) +
                $" | {perSecond.Values.Sum().ToString("F1", CultureInfo.InvariantCulture)} |");
        }
    }
}
