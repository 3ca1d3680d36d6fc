using System.Diagnostics;

namespace FourSite.Testing;

/// <summary>The repository these tests were built from, and the commands CI runs in it.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Runs <paramref name="program"/> in <paramref name="directory"/>: its exit code, what it printed, and what it printed as errors.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Runs <c>dotnet</c>: its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> DotnetAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var (exitCode, output, errors) = await RunAsync("dotnet", directory, environment, arguments);
        return (exitCode, output + errors);
    }

    /// <summary>A new empty folder outside the repository, removed by the caller.</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"foursite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FourSite.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the FourSite repository.");
    }
}
