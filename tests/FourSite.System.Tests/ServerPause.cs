using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;

namespace FourSite.System.Tests;

/// <summary>
/// A server paused, not stopped: every process of the server gets SIGSTOP, as in a stalled VM, a long fork or a
/// GC-paused proxy. Its sockets stay open, so clients wait and give up on calls the server may still run once it resumes
/// (SIGCONT), which is what makes a pause harder to survive than a stop.
/// </summary>
public sealed class ServerPause : IAsyncDisposable
{
    private readonly IReadOnlyList<int> _processes;
    private bool _resumed;

    private ServerPause(IReadOnlyList<int> processes) => _processes = processes;

    public int ProcessCount => _processes.Count;

    public static async Task<ServerPause> PauseAsync(DistributedApplication app, string resource)
    {
        // The server's own processes: the launcher script above them is the orchestrator's handle on the resource, and a
        // launcher that was paused no longer answers the orchestrator's stop (the resource could then never stop again).
        var launcher = await ProcessTree.OfResourceAsync(app, resource);
        var processes = ProcessTree.Of(launcher).Where(pid => pid != launcher || !ProcessTree.CommandLineOf(pid).Contains("LocalServers/", StringComparison.Ordinal)).ToList();
        await SignalAsync("STOP", processes);
        return new ServerPause(processes);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_resumed)
        {
            _resumed = true;
            await SignalAsync("CONT", _processes);
        }
    }

    /// <summary>Signals every process at once with kill(1); one that ended meanwhile is no error (nothing left to pause or resume).</summary>
    private static async Task SignalAsync(string signal, IReadOnlyList<int> processes)
    {
        var kill = new ProcessStartInfo("kill") { RedirectStandardError = true };
        kill.ArgumentList.Add($"-{signal}");
        foreach (var pid in processes)
        {
            kill.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(kill)!;
        await process.WaitForExitAsync();
    }
}
