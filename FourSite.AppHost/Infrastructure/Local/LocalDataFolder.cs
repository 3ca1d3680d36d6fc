using System.Diagnostics;

namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>
/// Throwaway data folders for the local servers, one set per AppHost (<c>{pid}-{n}</c> under the temp directory, so two
/// AppHosts in one process, as in tests, never share a server's data). Folders of processes that are no longer running
/// are removed at start.
/// </summary>
public sealed class LocalDataFolder
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "foursite");

    private static int _instances;

    private readonly string _path;

    private LocalDataFolder(string path) => _path = path;

    public static LocalDataFolder ForThisProcess()
    {
        RemoveAbandoned();
        var path = Path.Combine(Root, $"{Environment.ProcessId}-{Interlocked.Increment(ref _instances)}");
        // Readable by all: PostgreSQL and RabbitMQ may run as their own users and must reach their sub-folders.
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode readableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(Root, readableByAll);
            File.SetUnixFileMode(path, readableByAll);
        }

        return new LocalDataFolder(path);
    }

    /// <summary>Where tools installed on first use (the mail catcher) are kept between runs.</summary>
    public static string Tools() => Path.Combine(Root, "tools");

    /// <summary>The folder of one server (created by the server's script).</summary>
    public string For(string server) => Path.Combine(_path, server);

    private static void RemoveAbandoned()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            if (int.TryParse(Path.GetFileName(folder).Split('-')[0], out var pid) && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // Another user's leftovers: not ours to remove.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
