using FourSite.AppHost.Infrastructure.Local;

namespace FourSite.Testing;

/// <summary>Programs the tests run that a fresh machine lacks: installed with apt-get as root, else named.</summary>
public static class MachinePackages
{
    /// <param name="package">The Debian package that provides <paramref name="executable"/>.</param>
    /// <param name="purpose">Why the tests need it.</param>
    /// <param name="override">The environment variable that names another binary instead.</param>
    public static void Require(string package, string executable, string purpose, string @override)
    {
        if (DebianPackages.EnsureInstalled(purpose, (package, () => File.Exists(executable))) is { } instruction)
        {
            throw new InvalidOperationException($"No {package} at {executable}: {instruction} (or set {@override}).");
        }
    }
}
