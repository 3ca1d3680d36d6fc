using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Metrics;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using FourSite.Viral.Scores;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FourSite.Viral.Tests;

/// <summary>Sites announced as Generation announces them, for the tests that need a site with an owner token.</summary>
public static class GeneratedSites
{
    /// <summary>Publishes <c>SiteGenerated</c> for <paramref name="site"/> and waits until the service knows it.</summary>
    public static async Task<(Guid OwnerId, string Token)> AnnounceAsync(ServiceFactory<Program> service, HttpClient client, Guid site, DateTimeOffset? createdAt = null,
        Guid? accountId = null)
    {
        var ownerId = Guid.NewGuid();
        var token = $"owner-token-{Guid.NewGuid():N}";
        await service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), site, SlugOf(site), "Kite", "octo", "kite", "library",
            "LibraryTemplate", ownerId, Credentials.Hash(token), "template", false, 10, createdAt ?? DateTimeOffset.UtcNow, accountId));
        await Eventually.ReturnsAsync(() => client.GetAsync($"/api/viral/sites/{site}"), response => response.StatusCode == HttpStatusCode.OK);
        return (ownerId, token);
    }

    /// <summary>Publishes <c>SiteRemoved</c> for <paramref name="site"/>; answers the site's stats call once it is gone.</summary>
    public static async Task<HttpResponseMessage> RemoveAsync(ServiceFactory<Program> service, HttpClient client, Guid site)
    {
        await service.Services.GetRequiredService<IBus>().Publish(new SiteRemoved(site, SlugOf(site), DateTimeOffset.UtcNow));
        return await Eventually.ReturnsAsync(() => client.GetAsync($"/api/viral/sites/{site}"), response => response.StatusCode == HttpStatusCode.NotFound);
    }

    /// <summary>Publishes Metrics' assessment of the site's real-user vitals and waits until the service holds it.</summary>
    public static async Task AssessVitalsAsync(ServiceFactory<Program> service, HttpClient client, Guid site, string assessment = "good", int samples = 25,
        double lcp = 1200, double cls = 0.02, double inp = 90, DateTimeOffset? assessedAt = null)
    {
        await service.Services.GetRequiredService<IBus>().Publish(new SiteVitalsAssessed(SlugOf(site), lcp, cls, inp, samples, assessment, assessedAt ?? DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}")).GetProperty("vitals"),
            vitals => vitals.GetProperty("assessment").GetString() == assessment && vitals.GetProperty("samples").GetInt32() == samples);
    }

    /// <summary>The slug a test site is announced with.</summary>
    /// <summary>Folds what was counted for <paramref name="site"/> into its record now, as the service does every second.</summary>
    public static Task FoldAsync(ServiceFactory<Program> service, Guid site) =>
        service.Services.GetRequiredService<ScoreFolder>().FoldAsync(service.Services.GetRequiredService<NpgsqlDataSource>(), site, DateTimeOffset.UtcNow, CancellationToken.None);

    public static string SlugOf(Guid site) => $"kite-{site:N}"[..12];
}
