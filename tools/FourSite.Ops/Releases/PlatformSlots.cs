using System.Net.Http.Json;
using System.Text.Json;

namespace FourSite.Ops.Releases;

/// <summary>The platform's side of a release, through its gateway with the operator key: slot routing and the deployment health decision.</summary>
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

    /// <summary>Metrics' decision on the slot over its window: <c>healthy</c>, <c>rollback</c> or <c>insufficient_data</c>.</summary>
    public async Task<string> DecisionAsync(string slot, CancellationToken cancellationToken)
    {
        using var report = await gateway.GetFromJsonAsync<JsonDocument>($"/api/operations/deployment-health?slot={Uri.EscapeDataString(slot)}", cancellationToken)
            ?? throw new InvalidOperationException("The deployment health answered nothing.");
        return report.RootElement.GetProperty("decision").GetString()!;
    }
}
