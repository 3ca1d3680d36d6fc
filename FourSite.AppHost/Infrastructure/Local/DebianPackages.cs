using System.Diagnostics;

namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>
/// Installs missing Debian packages with apt-get when running as root (a fresh machine, a CI runner), so a first run
/// needs nothing but the .NET SDK; otherwise it names the command to run. Calls in one process take turns, and apt-get
/// waits for another process's lock instead of failing. The tests' servers, browser and Caddy are installed the same
/// way (this file is linked into FourSite.Testing).
/// </summary>
internal static class DebianPackages
{
    private static readonly Lock Gate = new();

    /// <param name="purpose">What the packages are for, to say why they are being installed.</param>
    /// <param name="requirements">Each package with how to tell it is installed.</param>
    /// <returns>Null when every package is there; otherwise the one line that tells the developer what to do.</returns>
    public static string? EnsureInstalled(string purpose, params (string Package, Func<bool> IsInstalled)[] requirements)
    {
        lock (Gate)
        {
            var missing = requirements.Where(requirement => !requirement.IsInstalled()).Select(requirement => requirement.Package).ToArray();
            if (missing.Length == 0)
            {
                return null;
            }

            var packages = string.Join(' ', missing);
            if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
            {
                Console.WriteLine($"Installing {packages} with apt-get ({purpose})...");
                if (AptGet($"install -y -q {packages}") || (AptGet("update -q") && AptGet($"install -y -q {packages}")))
                {
                    return null;
                }
            }

            return $"{packages} is missing ({purpose}): run 'sudo apt-get install -y {packages}'";
        }
    }

    private static bool AptGet(string arguments)
    {
#pragma warning disable S4036 // The machine's own package manager, found on the developer's PATH as their shell finds it.
        var start = new ProcessStartInfo("apt-get", $"-o DPkg::Lock::Timeout=600 {arguments}") { UseShellExecute = false };
#pragma warning restore S4036
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start);
        process?.WaitForExit();
        return process?.ExitCode == 0;
    }
}
