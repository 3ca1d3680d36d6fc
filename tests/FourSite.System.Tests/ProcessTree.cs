using System.Globalization;
using Aspire.Hosting;

namespace FourSite.System.Tests;

/// <summary>Processes and their children, read from /proc (Linux).</summary>
public static class ProcessTree
{
    private const string ProcessIdProperty = "executable.pid";

    /// <summary>The id of the process Aspire started for <paramref name="resource"/> (a launcher: the server or service runs at or below it).</summary>
    public static async Task<int> OfResourceAsync(DistributedApplication app, string resource)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(resource,
            update => update.Snapshot.Properties.Any(property => property.Name == ProcessIdProperty && property.Value is not null));
        return Convert.ToInt32(running.Snapshot.Properties.First(property => property.Name == ProcessIdProperty).Value, CultureInfo.InvariantCulture);
    }

    public static string CommandLineOf(int pid)
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

    /// <summary>The processes whose parent is <paramref name="parent"/>.</summary>
    public static IEnumerable<int> ChildrenOf(int parent)
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

    /// <summary><paramref name="root"/> and every process below it.</summary>
    public static IReadOnlyList<int> Of(int root)
    {
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(ChildrenOf(tree[i]));
        }

        return tree;
    }
}
