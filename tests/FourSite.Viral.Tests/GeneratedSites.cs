using System.Net;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace FourSite.Viral.Tests;

/// <summary>Sites announced as Generation announces them, for the tests that need a site with an owner token.</summary>
public static class GeneratedSites
{
    /// <summary>Publishes <c>SiteGenerated</c> for <paramref name="site"/> and waits until the service knows it.</summary>
    public static async Task<(Guid OwnerId, string Token)> AnnounceAsync(ServiceFactory<Program> service, HttpClient client, Guid site, DateTimeOffset? createdAt = null)
    {
        var ownerId = Guid.NewGuid();
        var token = $"owner-token-{Guid.NewGuid():N}";
        await service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), site, $"kite-{site:N}"[..12], "Kite", "octo", "kite", "library",
            "LibraryTemplate", ownerId, Credentials.Hash(token), "template", false, 10, createdAt ?? DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(() => client.GetAsync($"/api/viral/sites/{site}"), response => response.StatusCode == HttpStatusCode.OK);
        return (ownerId, token);
    }
}
