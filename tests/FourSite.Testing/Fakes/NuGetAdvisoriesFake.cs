using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FourSite.Testing.Fakes;

/// <summary>A known vulnerability of a NuGet package: its id, the versions affected (NuGet range), severity and advisory.</summary>
public sealed record NuGetAdvisory(string PackageId, string Versions, NuGetSeverity Severity, string Url);

/// <summary>NuGet's advisory severities, as the vulnerability feed numbers them.</summary>
public enum NuGetSeverity
{
    Low = 0,
    Moderate = 1,
    High = 2,
    Critical = 3,
}

/// <summary>
/// A NuGet audit source on loopback: a V3 service index whose only resource is the vulnerability feed (NuGet's
/// <c>VulnerabilityInfo/6.7.0</c>), serving the given advisories. Named in a NuGet configuration's <c>auditSources</c>.
/// </summary>
public sealed class NuGetAdvisoriesFake : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public NuGetAdvisoriesFake(params NuGetAdvisory[] advisories)
    {
        Serve("/v3/index.json", new
        {
            version = "3.0.0",
            resources = new[] { new Dictionary<string, string> { ["@id"] = $"{_server.Url}/v3/vulnerabilities/index.json", ["@type"] = "VulnerabilityInfo/6.7.0" } },
        });
        Serve("/v3/vulnerabilities/index.json", new[]
        {
            new Dictionary<string, string> { ["@name"] = "base", ["@id"] = $"{_server.Url}/v3/vulnerabilities/base.json", ["@updated"] = "2026-11-01T00:00:00Z" },
        });
        Serve("/v3/vulnerabilities/base.json", advisories.GroupBy(advisory => advisory.PackageId.ToLowerInvariant()).ToDictionary(
            package => package.Key,
            package => package.Select(advisory => new { url = advisory.Url, severity = (int)advisory.Severity, versions = advisory.Versions }).ToArray()));
    }

    /// <summary>The service index to name as an audit source.</summary>
    public string ServiceIndex => $"{_server.Url}/v3/index.json";

    public void Dispose() => _server.Stop();

    private void Serve(string path, object body) =>
        _server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(body)));
}
