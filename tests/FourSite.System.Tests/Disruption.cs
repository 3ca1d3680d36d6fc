using System.Collections.Concurrent;
using System.Net;
using FourSite.Client;

namespace FourSite.System.Tests;

/// <summary>
/// Traffic that keeps flowing while a test breaks something: lead captures, RUM beacons and shares (and, given a
/// repository owner, generations of that owner's repositories) at a steady pace, remembering what was accepted.
/// </summary>
public sealed class Disruption(IFourSiteApi api, Guid siteId, string? generateFrom)
{
    public ConcurrentBag<string> CapturedEmails { get; } = [];
    public ConcurrentBag<Guid> AcceptedJobs { get; } = [];
    public ConcurrentDictionary<int, int> Statuses { get; } = new();

    public ConcurrentDictionary<int, int> BeaconStatuses { get; } = new();

    /// <summary>The session every beacon of this flow carries, to find them among the stored ones.</summary>
    public string BeaconSession { get; } = $"fault-{Guid.NewGuid():N}";

    /// <summary>The ids of the beacons answered 202.</summary>
    public ConcurrentBag<Guid> AcceptedBeacons { get; } = [];

    public ConcurrentDictionary<int, int> ShareStatuses { get; } = new();

    /// <summary>The ids of the shares answered 201 (each from its own session, so none is a repeat of another).</summary>
    public ConcurrentBag<Guid> AcceptedShares { get; } = [];

    public Guid SiteId => siteId;

    public async Task RunAsync(CancellationToken stop)
    {
        var sent = new List<Task>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            sent.Add(CaptureAsync(n));
            sent.Add(BeaconAsync());
            if (ShareTraffic)
            {
                sent.Add(ShareAsync(n));
            }
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
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            AcceptedBeacons.Add(response.Content!.Id);
        }
    }

    /// <summary>Whether the flow shares the site too (its score and share count then reflect exactly the accepted shares).</summary>
    public bool ShareTraffic { get; init; }

    private async Task ShareAsync(int n)
    {
        var response = await api.TrackShareAsync(new ShareRequest(siteId, "reddit", $"https://www.reddit.com/r/dotnet/{n}"), sessionId: $"sharer-{n}-{Guid.NewGuid():N}");
        Count(ShareStatuses, response.Status());
        if (response.StatusCode == HttpStatusCode.Created)
        {
            AcceptedShares.Add(response.Content!.ShareId);
        }
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
