using System.Diagnostics;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// <c>aspire-manifest.json</c> is what deployment tools read: it must match what the AppHost declares. Regenerate it with
/// <c>dotnet run --project FourSite.AppHost -- --publisher manifest --output-path ../aspire-manifest.json</c>.
/// </summary>
public sealed class ManifestTests
{
    [Fact]
    public async Task Committed_manifest_matches_the_app_host()
    {
        var repository = RepositoryRoot();
        var generated = Path.Combine(repository, $"aspire-manifest.check-{Guid.NewGuid():N}.json");
        try
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var start = new ProcessStartInfo(dotnet,
                ["run", "--project", Path.Combine(repository, "FourSite.AppHost"), "--no-build", "--no-launch-profile", "--",
                 "--publisher", "manifest", "--output-path", generated])
            {
                WorkingDirectory = repository,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"publishing the manifest failed:\n{await output}\n{await errors}");

            var committed = await File.ReadAllTextAsync(Path.Combine(repository, "aspire-manifest.json"));
            var current = await File.ReadAllTextAsync(generated);
            Assert.True(Normalise(committed) == Normalise(current),
                "aspire-manifest.json is stale: run 'dotnet run --project FourSite.AppHost -- --publisher manifest --output-path ../aspire-manifest.json'");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    private static string Normalise(string manifest) => manifest.ReplaceLineEndings("\n").Trim();

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FourSite.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("FourSite.sln not found above the test folder.");
    }
}
