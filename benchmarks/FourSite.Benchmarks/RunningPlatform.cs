using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FourSite.StandIns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FourSite.Benchmarks;

/// <summary>The whole AppHost started for a benchmark: GitHub faked on loopback, rate limits off.</summary>
public sealed class RunningPlatform : IAsyncDisposable
{
    public const string OperatorKey = "benchmark-operator-key-0123456789";

    private readonly DistributedApplication _app;
    private readonly GitHubStandIn _gitHub;

    private RunningPlatform(DistributedApplication app, GitHubStandIn gitHub)
    {
        _app = app;
        _gitHub = gitHub;
    }

    /// <param name="dashboard">Run the Aspire dashboard too (as <c>dotnet run --project FourSite.AppHost</c> does), every process sending it telemetry.</param>
    /// <param name="otlpEndpoint">Without the dashboard: where every process sends its telemetry instead (OTLP/gRPC).</param>
    /// <param name="traceRatio">The share of requests traced (<c>parentbased_traceidratio</c>); every one when null.</param>
    /// <param name="maxTraces">The cap on traces each process starts a second (0: none); the AppHost's default when null.</param>
    /// <param name="settings">Further AppHost settings (<c>Key=value</c>).</param>
    public static async Task<RunningPlatform> StartAsync(bool dashboard = false, string? otlpEndpoint = null, string? traceRatio = null, string? maxTraces = null, IEnumerable<string>? settings = null)
    {
        var gitHub = new GitHubStandIn();
        gitHub.AddEveryRepository();
        Console.WriteLine($"Starting the platform ({Environment.ProcessorCount} cores{(dashboard ? ", with the dashboard at http://localhost:18888" : "")})...");
        string[] dashboardSettings = dashboard
            ? ["ASPNETCORE_URLS=http://localhost:18888", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:18889", "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true"]
            : otlpEndpoint is null ? [] : [$"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={otlpEndpoint}"];
        string[] samplerSettings = [
            .. traceRatio is null ? [] : new[] { "OTEL_TRACES_SAMPLER=parentbased_traceidratio", $"OTEL_TRACES_SAMPLER_ARG={traceRatio}" },
            .. maxTraces is null ? [] : new[] { $"FourSite:Telemetry:MaxTracesPerSecond={maxTraces}" },
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FourSite_AppHost>(
            [$"FourSite:GitHub:ApiUrl={gitHub.Url}", "FourSite:Gateway:RateLimiting:Enabled=false", "FourSite:Abuse:SitesPerNetworkPerDay=0", "FourSite:Abuse:SitesPerAccountPerDay=0",
                $"FourSite:Operator:ApiKey={OperatorKey}", .. dashboardSettings, .. samplerSettings, .. settings ?? []],
            (options, _) => options.DisableDashboard = !dashboard);
        // Start-up health probes fail until each resource is up; only the report matters here.
        // The services' own log lines reach this process too; printing them would cost the measured CPU a dashboard-less AppHost does not spend.
#pragma warning disable S4792 // Only quietens the benchmark's own console; nothing sensitive is logged either way.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error).AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("FourSite.AppHost.Resources", LogLevel.Warning));
#pragma warning restore S4792
        var app = await builder.BuildAsync();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");
        var platform = new RunningPlatform(app, gitHub);
        using var gateway = platform.Client("gateway");
        while (!(await gateway.GetAsync(new Uri("/api/health", UriKind.Relative))).IsSuccessStatusCode)
        {
            await Task.Delay(500);
        }

        return platform;
    }

    /// <summary>
    /// A plain client of one resource's http endpoint (the gateway, or a service directly): no logging or retry handlers,
    /// so the load generator spends its share of the two cores on requests only.
    /// </summary>
    public HttpClient Client(string resource) => ClientOf(_app.GetEndpoint(resource, "http"));

    /// <summary>A plain client of any address, e.g. the gateway of an AppHost run by hand.</summary>
    public static HttpClient ClientOf(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>The connection string of one of the platform's databases, e.g. to seed it.</summary>
    public async Task<string> ConnectionStringAsync(string resource) =>
        await _app.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _gitHub.Dispose();
    }
}
