using FourSite.Testing;
using Xunit;

namespace FourSite.Security.Tests;

/// <summary>
/// The build's security analyzers are the repository's: a project built with its Directory.Build.props and
/// Directory.Packages.props fails on an insecure call (the .NET analyzers' CA53xx and SonarAnalyzer's rules), and
/// builds without it.
/// </summary>
public sealed class InsecureCallTests
{
    private const string Insecure = """
        namespace Planted;

        public static class Calls
        {
            public static byte[] Digest(byte[] data) => System.Security.Cryptography.MD5.HashData(data);

            public static System.Net.Http.HttpClientHandler TrustingEveryone() =>
                new() { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        }
        """;

    private const string Secure = """
        namespace Planted;

        public static class Calls
        {
            public static byte[] Digest(byte[] data) => System.Security.Cryptography.SHA256.HashData(data);
        }
        """;

    [Fact]
    public async Task A_planted_insecure_call_fails_the_build()
    {
        var (exitCode, output) = await BuildAsync(Insecure);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error CA5351", output, StringComparison.Ordinal);
        Assert.Contains("error S4830", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_project_without_it_builds()
    {
        var (exitCode, output) = await BuildAsync(Secure);

        Assert.True(exitCode == 0, output);
    }

    private static async Task<(int ExitCode, string Output)> BuildAsync(string code)
    {
        var folder = Repository.NewFolder();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Build.props"),
                $"""<Project><Import Project="{Path.Combine(Repository.Root, "Directory.Build.props")}" /></Project>""");
            await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Packages.props"),
                $"""<Project><Import Project="{Path.Combine(Repository.Root, "Directory.Packages.props")}" /></Project>""");
            await File.WriteAllTextAsync(Path.Combine(folder, "Planted.csproj"), """<Project Sdk="Microsoft.NET.Sdk" />""");
            await File.WriteAllTextAsync(Path.Combine(folder, "Calls.cs"), code);
            return await Repository.DotnetAsync(folder, null, "build", "-v", "q", "-nologo");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
