using System.Globalization;

namespace FourSite.Benchmarks;

/// <summary>
/// The CPU time and resident memory of every process of the system on this machine, read from <c>/proc</c> and grouped:
/// the gateway, each service, PostgreSQL (every backend), Redis, RabbitMQ, the dashboard, Aspire's orchestrator and its
/// endpoint proxies (DCP), the mail catcher (smtp4dev), the AppHost run by hand, and this benchmark's own process: the load
/// generator and GitHub's stand-in, and the AppHost too when Aspire.Hosting.Testing runs it here.
/// </summary>
public static class ProcessUsage
{
    // /proc/[pid]/stat counts CPU in clock ticks: 100 a second on Linux.
    private const double MillisecondsPerTick = 10;

    /// <summary>This process: not the platform, but the load it is given (and the AppHost, when the harness hosts it).</summary>
    public const string Benchmark = "this benchmark (load generator; the harness's AppHost)";

    public static readonly string[] Groups = ["gateway", "generation", "leads", "viral", "metrics", "postgres", "redis", "rabbitmq", "dashboard", "dcp (orchestrator, proxies)", "mail catcher", "AppHost", Benchmark];

    /// <summary>CPU milliseconds used so far, per group.</summary>
    public static Dictionary<string, double> CpuMilliseconds() => Sum(pid => Ticks(pid) * MillisecondsPerTick);

    /// <summary>
    /// CPU milliseconds used so far by each process of the system but this one (which only watches an AppHost run by
    /// hand), with its group: compared process by process, one that ends between two readings takes nothing off a sum.
    /// </summary>
    public static Dictionary<int, (string Group, double Milliseconds)> CpuMillisecondsByProcess()
    {
        var processes = new Dictionary<int, (string, double)>();
        foreach (var (pid, group) in Processes().Where(process => process.Pid != Environment.ProcessId))
        {
            try
            {
                processes[pid] = (group, Ticks(pid) * MillisecondsPerTick);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return processes;
    }

    /// <summary>
    /// Memory now, MiB per group: each process's proportional share of what is resident (PSS), so that memory shared
    /// between processes (PostgreSQL's shared buffers in every backend) is counted once in a sum.
    /// </summary>
    public static Dictionary<string, double> ResidentMebibytes() => Sum(pid => ProportionalKib(pid) / 1024.0);

    private static IEnumerable<(int Pid, string Group)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && GroupOf(pid) is { } group)
            {
                yield return (pid, group);
            }
        }
    }

    private static Dictionary<string, double> Sum(Func<int, double> measure)
    {
        var totals = Groups.ToDictionary(group => group, _ => 0.0);
        foreach (var (pid, group) in Processes())
        {
            try
            {
                totals[group] += measure(pid);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return totals;
    }

    private static string? GroupOf(int pid)
    {
        string commandLine;
        try
        {
            commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return pid == Environment.ProcessId ? Benchmark
            : commandLine.Contains("FourSite.Gateway", StringComparison.Ordinal) ? "gateway"
            : commandLine.Contains("FourSite.Generation", StringComparison.Ordinal) ? "generation"
            : commandLine.Contains("FourSite.Leads", StringComparison.Ordinal) ? "leads"
            : commandLine.Contains("FourSite.Viral", StringComparison.Ordinal) ? "viral"
            : commandLine.Contains("FourSite.Metrics", StringComparison.Ordinal) ? "metrics"
            : commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/bin/postgres", StringComparison.Ordinal) ? "postgres"
            : commandLine.Contains("redis-server", StringComparison.Ordinal) ? "redis"
            : commandLine.Contains("beam.smp", StringComparison.Ordinal) && commandLine.Contains("rabbit", StringComparison.Ordinal) ? "rabbitmq"
            : commandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal) ? "dashboard"
            : commandLine.Contains("smtp4dev", StringComparison.Ordinal) ? "mail catcher"
            : commandLine.Contains("/dcp", StringComparison.Ordinal) ? "dcp (orchestrator, proxies)"
            : commandLine.Contains("FourSite.AppHost/bin/", StringComparison.Ordinal) ? "AppHost"
            : null;
    }

    /// <summary>User plus system time: fields 14 and 15 of /proc/[pid]/stat, counted after the command name's closing parenthesis.</summary>
    private static double Ticks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static double ProportionalKib(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(entry => entry.StartsWith("Pss:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
