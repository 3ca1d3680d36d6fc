using Aspire.Hosting.Testing;
using FourSite.Ops.Scanning;
using Xunit;
using Xunit.Abstractions;

namespace FourSite.System.Tests;

/// <summary>
/// The API baseline scan over the whole platform: every operation of every service's OpenAPI document (and the
/// gateway's own), through the gateway, with malformed, oversized, wrongly typed and injection-shaped inputs, and the
/// protected ones without credentials; every page for its security headers. Any finding fails the run, listed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiBaselineScanTests(PlatformApp platform, ITestOutputHelper log)
{
    private static readonly string[] Services = ["gateway", "generation", "leads", "viral", "metrics"];

    [Fact]
    public async Task No_operation_fails_leaks_or_answers_without_credentials()
    {
        platform.GitHub.AddRepository("octo", "scanned-site");
        using var gateway = platform.CreateGatewayClient();
        var documents = Services.Select(service => new Uri(platform.App.GetEndpoint(service, "http"), "/openapi/v1.json").ToString()).ToList();
        var output = new StringWriter();

        // An address of its own (the gateway trusts X-Forwarded-For from loopback), so that its rate limits are its own.
        var findings = await ScanCommand.RunAsync(gateway.BaseAddress!, documents, PlatformApp.OperatorKey, "https://github.com/octo/scanned-site", output, CancellationToken.None,
            clientAddress: "192.0.2.40");

        log.WriteLine(output.ToString());
        Assert.True(findings.Count == 0, output.ToString());
        // The inputs reached the handlers: most are refused as the bad input they are, and every call the scan makes with
        // plausible values is answered.
        Assert.Matches(@"answers: .*\b400 ×\d{3,}", output.ToString());
        Assert.Matches(@"answers: .*\b200 ×\d{2,}", output.ToString());
        // The scan reached the services: well over a thousand requests for five documents.
        Assert.Matches(@"5 documents, \d+ operations \((3\d|[4-9]\d) protected\), \d{4,} requests, 0 findings", output.ToString());
    }
}
