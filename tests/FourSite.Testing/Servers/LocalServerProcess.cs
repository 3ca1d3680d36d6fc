using System.Diagnostics;

namespace FourSite.Testing.Servers;

/// <summary>
/// One of the AppHost's <c>LocalServers/*.sh</c> scripts run as a child process, in a throwaway folder, stopped with
/// a signal (the scripts exec the server or pass the signal on) and killed if it lingers.
/// </summary>
internal sealed class LocalServerProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string _dataFolder;
    private readonly string _stopSignal;

    private LocalServerProcess(Process process, string dataFolder, string stopSignal)
    {
        _process = process;
        _dataFolder = dataFolder;
        _stopSignal = stopSignal;
    }

    /// <param name="stopSignal">The signal that stops the server promptly (PostgreSQL waits for clients on TERM, not on INT).</param>
    public static LocalServerProcess Start(string script, IReadOnlyDictionary<string, string> environment, string stopSignal = "TERM")
    {
        var root = Path.Combine(Path.GetTempPath(), "foursite-tests");
        var dataFolder = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        if (!OperatingSystem.IsWindows())
        {
            // The servers may run as their own users (postgres): they must be able to walk into the folder.
            const UnixFileMode readableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(root, readableByAll);
            File.SetUnixFileMode(dataFolder, readableByAll);
        }

        var start = new ProcessStartInfo("/bin/sh", [Path.Combine(AppContext.BaseDirectory, "LocalServers", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["FOURSITE_DATA"] = Path.Combine(dataFolder, "data");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {script}.");
        var server = new LocalServerProcess(process, dataFolder, stopSignal);
        process.OutputDataReceived += (_, line) => server.Remember(line.Data);
        process.ErrorDataReceived += (_, line) => server.Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's last lines of output, to explain a start that failed.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var signal = Process.Start("kill", ["-" + _stopSignal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file still held by a server that is going away: the temp folder is cleaned by the OS.
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
    }
}
