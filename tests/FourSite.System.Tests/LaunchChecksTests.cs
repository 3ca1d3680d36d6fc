using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.Testing;
using FourSite.Client;
using FourSite.Ops;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>The launch commands (smoke, pre-launch validation, a short run of the load plan) against the whole platform.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LaunchChecksTests(PlatformApp platform)
{
    private Uri Gateway
    {
        get
        {
            using var client = platform.CreateGatewayClient();
            return client.BaseAddress!;
        }
    }

    [Fact]
    public async Task The_smoke_tests_pass_against_the_platform()
    {
        platform.GitHub.AddRepository("octo", "smoke-site");
        var output = new StringWriter();
        var report = new CheckReport(output);

        await SmokeChecks.RunAsync(Gateway, "https://github.com/octo/smoke-site", report, CancellationToken.None);

        Assert.False(report.Failed, output.ToString());
        Assert.Equal(["homepage", "health", "database", "generation", "lead capture", "clean-up"], report.Results.Select(result => result.Name));
    }

    [Fact]
    public async Task The_pre_launch_validation_passes_and_cleans_up_its_lead()
    {
        platform.GitHub.AddRepository("octo", "prelaunch-site");
        var output = new StringWriter();
        var report = new CheckReport(output);

        var postgres = await platform.App.GetConnectionStringAsync("postgres");

        await PreLaunchChecks.RunAsync(Gateway, "https://github.com/octo/prelaunch-site", PlatformApp.OperatorKey, new HashSet<string>(), postgres,
            otlpEndpoint: null, report, CancellationToken.None);

        Assert.False(report.Failed, output.ToString());
        Assert.Contains(report.Results, result => result.Name == "rate limiting" && result.Passed);
        Assert.Equal(4, report.Results.Count(result => result.Name.StartsWith("tables of ", StringComparison.Ordinal) && result.Passed));
        Assert.Contains(report.Results, result => result.Name == "business: auto-featuring" && result.Passed);
        Assert.Contains(report.Results, result => result.Name == "business: clean-up" && result.Passed);
    }

    [Fact]
    public async Task Settings_that_are_required_must_be_set_and_not_placeholders()
    {
        var settings = new Dictionary<string, string?>
        {
            ["FourSite__Ai__ApiKey"] = "your-gemini-key-here",
            ["FourSite__Stripe__SecretKey"] = "sk_live_51HqLyjWDarjtT1zdp7dc",
            ["FourSite__Operator__ApiKey"] = "changeme",
        };
        var report = new CheckReport(new StringWriter());

        await PreLaunchChecks.CheckSettingsAsync(new HashSet<string> { "ai", "stripe", "stripe-webhook" }, name => settings.GetValueOrDefault(name), report);

        Assert.Equal(
            [("setting ai", false), ("setting stripe", true), ("setting stripe-webhook", false), ("setting operator", false)],
            report.Results);
    }

    [Fact]
    public async Task The_telemetry_check_passes_only_when_something_listens_at_the_collector_address()
    {
        using var collector = new TcpListener(IPAddress.Loopback, 0);
        collector.Start();
        var listening = $"http://127.0.0.1:{((IPEndPoint)collector.LocalEndpoint).Port}";
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var nothing = $"http://127.0.0.1:{((IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop();
        var report = new CheckReport(new StringWriter());

        await PreLaunchChecks.CheckTelemetryExportAsync(listening, report, CancellationToken.None);
        await PreLaunchChecks.CheckTelemetryExportAsync(nothing, report, CancellationToken.None);
        await PreLaunchChecks.CheckTelemetryExportAsync("not a url", report, CancellationToken.None);
        await PreLaunchChecks.CheckTelemetryExportAsync(null, report, CancellationToken.None);

        Assert.Equal([("telemetry export", true), ("telemetry export", false), ("telemetry export", false)], report.Results);
    }

    [Fact]
    public async Task A_short_run_of_the_load_plan_answers_everything_without_a_server_error()
    {
        platform.GitHub.AddEveryRepository();
        using var client = platform.CreateGatewayClient();
        // The load arrives as a client of its own (the gateway believes X-Forwarded-For from loopback), so its share of
        // the rate limits is not the other tests'.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.77");
        var load = new LoadTest(FourSiteClient.For(client), n => $"https://github.com/octo/load-{n}");
        var output = new StringWriter();

        var results = await load.RunAsync(LoadTest.Plan(TimeSpan.FromSeconds(1)), output, CancellationToken.None);
        LoadTest.Print(results, output);

        Assert.Equal(["POST /api/generate", "POST /api/leads/capture", "POST /api/share/track"], results.Select(result => result.Endpoint));
        Assert.Equal(10 + 2 * 50 + 100, results.Sum(result => result.Requests));
        Assert.True(results.All(result => result.ServerErrors == 0), output.ToString());
        Assert.True(results.All(result => result.P99Ms < 5_000), output.ToString());
    }
}
