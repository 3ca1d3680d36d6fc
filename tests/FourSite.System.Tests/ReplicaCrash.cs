using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// A service replica dying the way a crash does: its process killed outright, with no shutdown. Aspire starts a project
/// through <c>dotnet run</c>, whose process id the resource reports; the service itself is that process's child.
/// </summary>
public static class ReplicaCrash
{
    private const string ProcessIdProperty = "executable.pid";

    /// <returns>The id of the process that was killed.</returns>
    public static async Task<int> KillAsync(DistributedApplication app, string resource)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(resource,
            update => update.Snapshot.Properties.Any(property => property.Name == ProcessIdProperty && property.Value is not null));
        var launcher = Convert.ToInt32(running.Snapshot.Properties.First(property => property.Name == ProcessIdProperty).Value, CultureInfo.InvariantCulture);

        // The service is the child running the project's own executable (e.g. .../FourSite.Leads for "leads").
        var service = ChildrenOf(launcher).FirstOrDefault(pid => CommandLineOf(pid).Contains($"FourSite.{resource}", StringComparison.OrdinalIgnoreCase));
        Assert.True(service != 0, $"no process of {resource} under its launcher {launcher}");
        using var process = Process.GetProcessById(service);
        process.Kill();
        await process.WaitForExitAsync();
        return service;
    }

    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The processes whose parent is <paramref name="parent"/>, read from /proc.</summary>
    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended while we looked
            }

            // "pid (command) state ppid ...": the command may hold spaces and parentheses, so read after its last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }
}
