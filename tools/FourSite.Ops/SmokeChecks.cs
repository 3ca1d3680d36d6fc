using System.Diagnostics;
using System.Net;
using FourSite.Client;

namespace FourSite.Ops;

/// <summary>
/// The launch plan's smoke tests against a running deployment: the homepage within 3 s, health, the database, a
/// generation through to its page, and a lead capture on the generated site; then the site is removed, its lead with it.
/// </summary>
public static class SmokeChecks
{
    public static readonly TimeSpan HomepageBudget = TimeSpan.FromSeconds(3);

    /// <param name="handler">How requests are sent, e.g. pinned to one slot (<see cref="Releases.SlotPinningHandler"/>); plain HTTP otherwise.</param>
    public static async Task RunAsync(Uri target, string repoUrl, CheckReport report, CancellationToken cancellationToken, HttpMessageHandler? handler = null)
    {
        handler ??= new SocketsHttpHandler();
        var api = FourSiteClient.Create(target, handler);
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };

        await report.RunAsync("homepage", async () =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative), cancellationToken);
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Expect(response.StatusCode == HttpStatusCode.OK, $"status {(int)response.StatusCode}");
            Expect(html.Contains("hero-section", StringComparison.Ordinal), "the page has no hero section");
            Expect(elapsed < HomepageBudget, $"took {elapsed.TotalMilliseconds:F0} ms (budget {HomepageBudget.TotalSeconds:F0} s)");
            return $"{(int)response.StatusCode}, {html.Length:N0} characters";
        });

        await report.RunAsync("health", async () =>
        {
            var health = await api.GetHealthAsync(cancellationToken);
            Expect(health.IsSuccessStatusCode, health.Describe());
            return $"{health.Content.GetProperty("status").GetString()}, {health.Content.GetProperty("services").EnumerateObject().Count()} services";
        });

        await report.RunAsync("database", async () =>
        {
            var database = await api.GetDatabaseHealthAsync(cancellationToken);
            Expect(database.IsSuccessStatusCode, database.Describe());
            return $"{database.Content.GetProperty("database").GetString()}, {database.Content.GetProperty("latency")} ms";
        });

        (Guid SiteId, string Slug, string OwnerToken)? generated = null;
        await report.RunAsync("generation", async () =>
        {
            var site = await GenerateAsync(api, repoUrl, cancellationToken);
            generated = site;
            var page = await api.GetSitePageAsync(site.Slug, cancellationToken);
            Expect(page.IsSuccessStatusCode && page.Content!.Contains("<html", StringComparison.OrdinalIgnoreCase), $"site page status {page.Status()}");
            return $"/s/{site.Slug}";
        });

        await report.RunAsync("lead capture", async () =>
        {
            if (generated is null)
            {
                throw new SkipException("no generated site to capture on");
            }

            var capture = await api.CaptureLeadAsync(new CaptureRequest($"smoke-{Guid.NewGuid():N}@foursite-smoke.dev", generated.Value.SiteId, NewsletterOptIn: true,
                Metadata: new CaptureMetadata(TimeOnSite: 30, ScrollDepth: 60, InteractionCount: 2)), cancellationToken);
            Expect(capture.StatusCode == HttpStatusCode.Created, capture.Describe());
            return $"lead score {capture.Content!.LeadScore}";
        });

        await report.RunAsync("clean-up", async () =>
        {
            if (generated is not { } site)
            {
                throw new SkipException("nothing was generated");
            }

            var removed = await api.RemoveSiteAsync(site.SiteId, site.OwnerToken, cancellationToken);
            Expect(removed.StatusCode == HttpStatusCode.NoContent, $"removing the smoke site answered {removed.Status()}");
            return "the smoke site removed, its lead with it";
        });
    }

    /// <summary>Generates a site, following the job when the platform answers 202; returns its id and slug.</summary>
    public static async Task<(Guid SiteId, string Slug, string OwnerToken)> GenerateAsync(IFourSiteApi api, string repoUrl, CancellationToken cancellationToken)
    {
        var generated = await api.GenerateAsync(new GenerateRequest(repoUrl), cancellationToken: cancellationToken);
        Expect(generated.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, generated.Describe());
        var body = generated.Content;
        var token = body.GetProperty("ownerToken").GetString()!;
        if (generated.StatusCode == HttpStatusCode.OK)
        {
            return (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!, token);
        }

        var jobId = body.GetProperty("jobId").GetGuid();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var job = await api.GetJobAsync(jobId, cancellationToken);
            if (job.Content is { Status: "completed", SiteId: { } site })
            {
                var data = await api.GetSiteAsync(site.ToString(), cancellationToken);
                return (site, data.Content.GetProperty("slug").GetString()!, token);
            }

            Expect(job.Content?.Status != "failed", $"the job failed: {job.Content?.Error}");
            await Task.Delay(500, cancellationToken);
        }

        throw new CheckFailedException("the job did not complete within 60 s");
    }

    public static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new CheckFailedException(failure);
        }
    }
}
