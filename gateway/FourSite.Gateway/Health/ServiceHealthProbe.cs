using System.Diagnostics;
using System.Net.Http.Json;
using FourSite.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Health;

/// <summary>Asks each service behind the gateway for its readiness and its database round trip.</summary>
public sealed partial class ServiceHealthProbe(HttpClient http, IOptions<GatewayOptions> options, ILogger<ServiceHealthProbe> logger)
{
    public Task<Dictionary<string, string>> ProbeServicesAsync(CancellationToken cancellationToken) =>
        ProbeAllAsync(async (service, token) =>
        {
            using var response = await http.GetAsync(ServiceAddress.Of(service, HealthExtensions.HealthPath), token);
            return response.IsSuccessStatusCode ? "healthy" : "unhealthy";
        }, "unhealthy", cancellationToken);

    public Task<Dictionary<string, DatabaseProbe>> ProbeDatabasesAsync(CancellationToken cancellationToken) =>
        ProbeAllAsync(async (service, token) =>
        {
            using var response = await http.GetAsync(ServiceAddress.Of(service, HealthExtensions.DatabasePath), token);
            return await response.Content.ReadFromJsonAsync<DatabaseProbe>(token) ?? new DatabaseProbe("disconnected", 0);
        }, new DatabaseProbe("disconnected", 0), cancellationToken);

    private async Task<Dictionary<string, T>> ProbeAllAsync<T>(Func<string, CancellationToken, Task<T>> probe, T whenUnreachable, CancellationToken cancellationToken)
    {
        var services = options.Value.Services;
        var results = await Task.WhenAll(services.Select(async service =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.HealthProbeTimeout);
            var started = Stopwatch.GetTimestamp();
            try
            {
                return (service, result: await probe(service, timeout.Token));
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                LogUnreachable(logger, service, Stopwatch.GetElapsedTime(started).TotalMilliseconds, exception.Message);
                return (service, result: whenUnreachable);
            }
        }));
        return results.ToDictionary(entry => entry.service, entry => entry.result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service {Service} did not answer its health probe after {ElapsedMs:F0} ms: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string service, double elapsedMs, string reason);
}
