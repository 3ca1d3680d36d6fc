using System.Collections.Concurrent;
using System.Net;
using FourSite.Client;

namespace FourSite.System.Tests;

/// <summary>
/// Traffic that keeps flowing while a test breaks something: lead captures and RUM beacons (and, given a repository
/// owner, generations of that owner's repositories) at a steady pace, remembering what was accepted.
/// </summary>
public sealed class Disruption(IFourSiteApi api, Guid siteId, string? generateFrom)
{
    public ConcurrentBag<string> CapturedEmails { get; } = [];
    public ConcurrentBag<Guid> AcceptedJobs { get; } = [];
    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    public ConcurrentDictionary<int, int> BeaconStatuses { get; } = new();

    /// <summary>The session every beacon of this flow carries, to find them among the stored ones.</summary>
    public string BeaconSession { get; } = $"fault-{Guid.NewGuid():N}";

    public int AcceptedBeacons => BeaconStatuses.GetValueOrDefault((int)HttpStatusCode.Accepted);

    public async Task RunAsync(CancellationToken stop)
    {
        var sent = new List<Task>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            sent.Add(CaptureAsync(n));
            sent.Add(BeaconAsync());
            if (generateFrom is not null && n % 5 == 0)
            {
                sent.Add(GenerateAsync(n));
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(sent);
    }

    private async Task CaptureAsync(int n)
    {
        var email = $"fault-{n}-{Guid.NewGuid():N}@foursite-faults.dev";
        var response = await api.CaptureLeadAsync(new CaptureRequest(email, siteId, NewsletterOptIn: true,
            Metadata: new CaptureMetadata(TimeOnSite: 30, ScrollDepth: 50, InteractionCount: 2)));
        Count(Statuses, response.Status());
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            CapturedEmails.Add(email);
        }
    }

    private async Task BeaconAsync()
    {
        var response = await api.SendRumBeaconAsync(new RumBeacon("core_web_vitals", new RumData(Lcp: 900, Cls: 0.01), BeaconSession, "http://localhost/", "faults"));
        Count(BeaconStatuses, response.Status());
    }

    private async Task GenerateAsync(int n)
    {
        var response = await api.GenerateAsync(new GenerateRequest($"https://github.com/{generateFrom}/fault-{n}-{Guid.NewGuid():N}"[..60]), "respond-async");
        Count(Statuses, response.Status());
        if (response.IsSuccessStatusCode)
        {
            AcceptedJobs.Add(response.Content.GetProperty("jobId").GetGuid());
        }
    }

    private static void Count(ConcurrentDictionary<int, int> statuses, int status) => statuses.AddOrUpdate(status, 1, (_, count) => count + 1);

    /// <summary>The answers counted, e.g. <c>201×87, 503×23</c>.</summary>
    public static string Describe(ConcurrentDictionary<int, int> statuses) =>
        string.Join(", ", statuses.OrderBy(entry => entry.Key).Select(entry => $"{entry.Key}×{entry.Value}"));
}
