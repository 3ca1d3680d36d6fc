using System.Diagnostics;
using Aspire.Hosting;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// A service replica dying the way a crash does: its process killed outright, with no shutdown. Aspire starts a project
/// through <c>dotnet run</c>, whose process id the resource reports; the service itself is that process's child.
/// </summary>
public static class ReplicaCrash
{
    /// <returns>The id of the process that was killed.</returns>
    public static async Task<int> KillAsync(DistributedApplication app, string resource)
    {
        var launcher = await ProcessTree.OfResourceAsync(app, resource);

        // The service is the child running the project's own executable (e.g. .../FourSite.Leads for "leads").
        var service = ProcessTree.ChildrenOf(launcher).FirstOrDefault(pid => ProcessTree.CommandLineOf(pid).Contains($"FourSite.{resource}", StringComparison.OrdinalIgnoreCase));
        Assert.True(service != 0, $"no process of {resource} under its launcher {launcher}");
        using var process = Process.GetProcessById(service);
        process.Kill();
        await process.WaitForExitAsync();
        return service;
    }
}
