using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Health;

/// <summary>Asks each service behind the gateway for its readiness and its database round trip.</summary>
public sealed partial class ServiceHealthProbe(ServiceHealthFanOut fanOut, IOptions<GatewayOptions> options, ILogger<ServiceHealthProbe> logger)
{
    public Task<Dictionary<string, string>> ProbeServicesAsync(CancellationToken cancellationToken) =>
        ProbeAllAsync(HealthExtensions.HealthPath, (response, _) => Task.FromResult(response.IsSuccessStatusCode ? "healthy" : "unhealthy"),
            "unhealthy", cancellationToken);

    public Task<Dictionary<string, DatabaseProbe>> ProbeDatabasesAsync(CancellationToken cancellationToken) =>
        ProbeAllAsync(HealthExtensions.DatabasePath,
            async (response, token) => await response.Content.ReadFromJsonAsync<DatabaseProbe>(token) ?? new DatabaseProbe("disconnected", 0),
            new DatabaseProbe("disconnected", 0), cancellationToken);

    private async Task<Dictionary<string, T>> ProbeAllAsync<T>(string path, Func<HttpResponseMessage, CancellationToken, Task<T>> read, T whenUnreachable,
        CancellationToken cancellationToken)
    {
        var probes = await fanOut.ProbeAsync(options.Value.Services, path, options.Value.HealthProbeTimeout, read, whenUnreachable, cancellationToken);
        foreach (var (service, probe) in probes.Where(entry => !entry.Value.Answered))
        {
            LogUnreachable(logger, service, probe.LatencyMs, probe.Failure!);
        }

        return probes.ToDictionary(entry => entry.Key, entry => entry.Value.Result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service {Service} did not answer its health probe after {ElapsedMs:F0} ms: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string service, double elapsedMs, string reason);
}
