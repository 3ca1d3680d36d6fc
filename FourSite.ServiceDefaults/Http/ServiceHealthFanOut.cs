using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace FourSite.ServiceDefaults.Http;

/// <summary>What one service answered to a health probe, how long it took, and, when it did not answer, why.</summary>
public sealed record ServiceProbe<T>(T Result, double LatencyMs, string? Failure)
{
    public bool Answered => Failure is null;
}

/// <summary>
/// Asks every named service for one health path at once, each within a bound: the gateway's platform health and Metrics'
/// system health read the same fan-out. A service that does not answer in time, or not at all, is reported, never thrown.
/// </summary>
public sealed class ServiceHealthFanOut(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "service-health";

    /// <param name="read">Reads a service's answer (it may throw on an answer that is no answer).</param>
    /// <param name="whenUnreachable">The result of a service that did not answer.</param>
    public async Task<IReadOnlyDictionary<string, ServiceProbe<T>>> ProbeAsync<T>(IEnumerable<string> services, string path, TimeSpan bound,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read, T whenUnreachable, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var probes = await Task.WhenAll(services.Select(async service =>
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(bound);
            var started = Stopwatch.GetTimestamp();
            double Elapsed() => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            try
            {
                using var response = await http.GetAsync(ServiceAddress.Of(service, path), bounded.Token);
                var result = await read(response, bounded.Token);
                return (service, probe: new ServiceProbe<T>(result, Elapsed(), null));
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var failure = exception is OperationCanceledException ? "no answer in time" : exception.Message;
                return (service, probe: new ServiceProbe<T>(whenUnreachable, Elapsed(), failure));
            }
        }));
        return probes.ToDictionary(entry => entry.service, entry => entry.probe);
    }
}

public static class ServiceHealthFanOutExtensions
{
    /// <summary>The fan-out, with a client of its own: a probe is bounded and answers what it finds, so it never retries.</summary>
    public static IServiceCollection AddServiceHealthFanOut(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented opt-out.
        services.AddHttpClient(ServiceHealthFanOut.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services.AddSingleton<ServiceHealthFanOut>();
    }
}
