using System.Diagnostics;

namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>
/// Makes sure the distribution's PostgreSQL, Redis and RabbitMQ servers are installed: as root it installs a missing one
/// with apt-get (registry packages only); otherwise it names the command to run.
/// </summary>
public static class LocalServerBinaries
{
    private sealed record Requirement(string Package, Func<bool> IsInstalled);

    private static readonly Requirement[] Requirements =
    [
        new("postgresql", () => Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "postgres", SearchOption.AllDirectories).Any()),
        new("redis-server", () => File.Exists("/usr/bin/redis-server")),
        new("rabbitmq-server", () => File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") && File.Exists("/usr/bin/epmd")),
    ];

    /// <returns>Null when every server is there; otherwise the one line that tells the developer what to do.</returns>
    public static string? EnsureInstalled()
    {
        var missing = Requirements.Where(requirement => !requirement.IsInstalled()).Select(requirement => requirement.Package).ToArray();
        if (missing.Length == 0)
        {
            return null;
        }

        var packages = string.Join(' ', missing);
        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            Console.WriteLine($"Installing {packages} with apt-get (no container engine: FourSite runs them as local processes)...");
            if (AptGet($"install -y -q {packages}") || (AptGet("update -q") && AptGet($"install -y -q {packages}")))
            {
                return null;
            }
        }

        return $"FourSite runs PostgreSQL, Redis and RabbitMQ as local processes here and {packages} is missing: run 'sudo apt-get install -y {packages}' (or start a container engine).";
    }

    private static bool AptGet(string arguments)
    {
#pragma warning disable S4036 // The machine's own package manager, found on the developer's PATH as their shell finds it.
        var start = new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false };
#pragma warning restore S4036
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start);
        process?.WaitForExit();
        return process?.ExitCode == 0;
    }
}
