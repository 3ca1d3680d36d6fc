using FourSite.Testing;
using FourSite.Testing.Fakes;
using Xunit;

namespace FourSite.Security.Tests;

/// <summary>
/// The package check (<c>eng/vulnerable-packages.cs</c>) on the platform itself, and on a project of its own with
/// advisories from an audit source on loopback: a direct or transitive package with a high or critical advisory fails
/// it; a lesser one is listed only.
/// </summary>
public sealed class VulnerablePackageTests
{
    private const string Advisory = "https://github.com/advisories/GHSA-5crp-9r3c-p9vr";

    [Fact]
    public async Task A_planted_package_with_a_high_advisory_fails_the_check()
    {
        using var advisories = new NuGetAdvisoriesFake(new NuGetAdvisory("Newtonsoft.Json", "(, 13.0.1)", NuGetSeverity.High, Advisory));

        var (exitCode, output) = await CheckAsync(advisories, "Newtonsoft.Json", "12.0.1");

        Assert.True(exitCode == 1, output);
        Assert.Contains($"FAIL Planted (net10.0): Newtonsoft.Json 12.0.1 (direct), High, {Advisory}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vulnerable_dependency_of_a_dependency_fails_it_too()
    {
        // Npgsql 10.0.3 depends on Microsoft.Extensions.Logging.Abstractions 10.0.0 (here said to be critical).
        using var advisories = new NuGetAdvisoriesFake(new NuGetAdvisory("Microsoft.Extensions.Logging.Abstractions", "[10.0.0, 10.0.1)", NuGetSeverity.Critical, Advisory));

        var (exitCode, output) = await CheckAsync(advisories, "Npgsql", "10.0.3");

        Assert.True(exitCode == 1, output);
        Assert.Contains($"FAIL Planted (net10.0): Microsoft.Extensions.Logging.Abstractions 10.0.0 (transitive), Critical, {Advisory}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderate_advisory_is_listed_and_passes()
    {
        using var advisories = new NuGetAdvisoriesFake(new NuGetAdvisory("Newtonsoft.Json", "(, 13.0.1)", NuGetSeverity.Moderate, Advisory));

        var (exitCode, output) = await CheckAsync(advisories, "Newtonsoft.Json", "12.0.1");

        Assert.True(exitCode == 0, output);
        Assert.Contains("warn Planted (net10.0): Newtonsoft.Json 12.0.1 (direct), Moderate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_past_the_advisory_passes()
    {
        using var advisories = new NuGetAdvisoriesFake(new NuGetAdvisory("Newtonsoft.Json", "(, 13.0.1)", NuGetSeverity.High, Advisory));

        var (exitCode, output) = await CheckAsync(advisories, "Newtonsoft.Json", "13.0.3");

        Assert.True(exitCode == 0, output);
        Assert.Contains("1 projects checked: 0 packages with a known vulnerability of high or critical severity", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_package_of_the_platform_has_a_high_or_critical_advisory()
    {
        var (exitCode, output) = await Repository.DotnetAsync(Repository.Root, new Dictionary<string, string>(),
            "run", "--file", Path.Combine(Repository.Root, "eng", "vulnerable-packages.cs"), "--", "FourSite.sln");

        Assert.True(exitCode == 0, output);
        Assert.Contains("packages with a known vulnerability of high or critical severity", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> CheckAsync(NuGetAdvisoriesFake advisories, string package, string version)
    {
        var folder = Repository.NewFolder();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Planted.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
                  <ItemGroup><PackageReference Include="{package}" Version="{version}" /></ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <auditSources>
                    <clear />
                    <add key="advisories" value="{advisories.ServiceIndex}" allowInsecureConnections="true" />
                  </auditSources>
                </configuration>
                """);
            // A cache of its own: NuGet keeps vulnerability data for hours, and each test serves different advisories.
            var environment = new Dictionary<string, string> { ["NUGET_HTTP_CACHE_PATH"] = Path.Combine(folder, "http-cache") };
            return await Repository.DotnetAsync(folder, environment, "run", "--file", Path.Combine(Repository.Root, "eng", "vulnerable-packages.cs"), "--", "Planted.csproj");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
