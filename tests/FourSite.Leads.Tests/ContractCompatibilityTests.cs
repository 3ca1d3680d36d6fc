using System.Text.Json;
using FourSite.Contracts.Viral;
using MassTransit.Serialization;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>
/// Viral's events name the site <c>siteId</c> now; consumers deployed before that read <c>websiteId</c>, and producers
/// deployed before it wrote only that. Both ways still work while the two are deployed side by side.
/// </summary>
public sealed class ContractCompatibilityTests
{
    private static readonly JsonSerializerOptions Bus = SystemTextJsonMessageSerializer.Options;

    [Fact]
    public void New_events_carry_the_site_under_both_names()
    {
        var site = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        foreach (var message in new object[] { new SiteFeatured(site, 30, 25, now), new ShareMilestoneReached(site, 10, now), new ShareTracked(Guid.NewGuid(), site, "reddit", null, 2, now) })
        {
            using var json = JsonDocument.Parse(JsonSerializer.Serialize(message, message.GetType(), Bus));
            Assert.Equal(site, json.RootElement.GetProperty("siteId").GetGuid());
            Assert.Equal(site, json.RootElement.GetProperty("websiteId").GetGuid());
        }
    }

    [Fact]
    public void Events_from_an_older_producer_are_read_by_their_former_name()
    {
        var site = Guid.NewGuid();

        var featured = JsonSerializer.Deserialize<SiteFeatured>($$"""{"websiteId":"{{site}}","viralScore":30,"threshold":25,"featuredAt":"2026-12-01T00:00:00Z"}""", Bus)!;
        var milestone = JsonSerializer.Deserialize<ShareMilestoneReached>($$"""{"websiteId":"{{site}}","shares":10,"reachedAt":"2026-12-01T00:00:00Z"}""", Bus)!;
        var tracked = JsonSerializer.Deserialize<ShareTracked>(
            $$"""{"shareId":"{{Guid.NewGuid()}}","websiteId":"{{site}}","platform":"reddit","viralScore":2,"trackedAt":"2026-12-01T00:00:00Z"}""", Bus)!;

        Assert.Equal(site, featured.SiteId);
        Assert.Equal(site, milestone.SiteId);
        Assert.Equal(site, tracked.SiteId);
        Assert.Equal(10, milestone.Shares);
    }
}
