using System.Diagnostics;

namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>
/// Installs missing Debian packages with apt-get when running as root (a fresh machine, a CI runner), so a first run
/// needs nothing but the .NET SDK; otherwise it names the command to run. Installs take turns across threads and
/// processes, and apt-get waits for anyone else's lock instead of failing. The tests' servers, browser and Caddy are
/// installed the same way (this file is linked into FourSite.Testing).
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
            if (Missing(requirements).Length == 0)
            {
                return null;
            }

            if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
            {
                return Instruction(Missing(requirements), purpose);
            }

            // Other processes (test assemblies run side by side) may be installing the same packages: one at a time, and
            // each looks again once it is its turn.
            using var machineWide = AcquireMachineLock();
            var missing = Missing(requirements);
            if (missing.Length == 0)
            {
                return null;
            }

            var packages = string.Join(' ', missing);
            Console.WriteLine($"Installing {packages} with apt-get ({purpose})...");
            return AptGet($"install -y -q {packages}") || (AptGet("update -q") && AptGet($"install -y -q {packages}"))
                ? null
                : Instruction(missing, purpose);
        }
    }

    private static string[] Missing((string Package, Func<bool> IsInstalled)[] requirements) =>
        requirements.Where(requirement => !requirement.IsInstalled()).Select(requirement => requirement.Package).ToArray();

    private static string Instruction(string[] missing, string purpose) =>
        $"{string.Join(' ', missing)} is missing ({purpose}): run 'sudo apt-get install -y {string.Join(' ', missing)}'";

    /// <summary>An exclusive lock on a file, held by one process at a time until disposed (the system frees it if the process dies).</summary>
    private static FileStream AcquireMachineLock()
    {
        var path = Path.Combine(Path.GetTempPath(), "foursite-apt-get.lock");
        var deadline = DateTime.UtcNow.AddMinutes(20);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
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
