using System.Net.Http.Json;
using System.Text.Json;

namespace FourSite.Ops.Releases;

/// <summary>
/// The platform's side of a release, through its gateway with the operator key: slot routing, the deployment health
/// decision, and the release history.
/// </summary>
public sealed class PlatformSlots(HttpClient gateway)
{
    /// <summary>The slot each service's traffic goes to now.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LiveAsync(CancellationToken cancellationToken)
    {
        using var slots = await gateway.GetFromJsonAsync<JsonDocument>("/admin/slots", cancellationToken) ?? throw new InvalidOperationException("The gateway answered no slots.");
        return slots.RootElement.EnumerateObject().ToDictionary(service => service.Name, service => service.Value.GetProperty("routing").GetProperty("active").GetString()!);
    }

    /// <summary>Moves all of a service's traffic to <paramref name="slot"/>.</summary>
    public async Task SwitchAsync(string service, string slot, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync($"/admin/slots/{Uri.EscapeDataString(service)}", new { slot }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Switching {service} to {slot} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>
    /// Metrics' decision on the slot over its window (<c>healthy</c>, <c>rollback</c> or <c>insufficient_data</c>) and
    /// its reasons; throws when it cannot be read, which a release takes as unhealthy.
    /// </summary>
    public async Task<(string Decision, string Detail)> DecisionAsync(string slot, CancellationToken cancellationToken)
    {
        using var response = await gateway.GetAsync($"/api/operations/deployment-health?slot={Uri.EscapeDataString(slot)}", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deployment health answered {(int)response.StatusCode}");
        }

        using var report = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken) ?? throw new InvalidOperationException("deployment health answered nothing");
        var data = report.RootElement.GetProperty("data");
        var reasons = data.GetProperty("slots").EnumerateArray()
            .SelectMany(decision => decision.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetString()));
        return (data.GetProperty("decision").GetString() ?? throw new InvalidOperationException("deployment health named no decision"), string.Join("; ", reasons));
    }

    /// <summary>Adds a finished release, rollback or switch to the platform's history (which announces it).</summary>
    public async Task RecordAsync(ReleaseRecord release, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync("/api/operations/releases", release, ReleaseRecord.Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"recording the {release.Kind} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
