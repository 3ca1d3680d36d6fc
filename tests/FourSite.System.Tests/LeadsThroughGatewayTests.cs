using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>Leads across services: the owner token from Generation opens the site's leads in Leads, via SiteGenerated.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LeadsThroughGatewayTests(PlatformApp platform)
{
    [Fact]
    public async Task The_owner_of_a_generated_site_reads_the_leads_it_captured()
    {
        platform.GitHub.AddRepository("acme", "leadmagnet");
        using var client = platform.CreateGatewayClient();
        var site = await (await client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/acme/leadmagnet" })).Content.ReadFromJsonAsync<JsonElement>();
        var siteId = site.GetProperty("siteId").GetGuid();

        using var capture = await client.PostAsJsonAsync("/api/leads/capture", new
        {
            email = "visitor@example.com",
            siteId,
            newsletterOptIn = true,
            projectInterests = new[] { "AI/ML" },
            metadata = new { timeOnSite = 75, scrollDepth = 90, interactionCount = 3, sectionsViewed = new[] { "hero", "features" }, deviceType = "mobile" },
        });
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);

        var leads = await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/leads?siteId={siteId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", site.GetProperty("ownerToken").GetString());
            return await client.SendAsync(request);
        }, response => response.StatusCode == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, leads.StatusCode);
        var list = await leads.Content.ReadFromJsonAsync<JsonElement>();
        // The token holder sees the lead, its email masked: emails go only to the repository's verified maintainers.
        Assert.Equal("v***@example.com", list[0].GetProperty("email").GetString());
    }
}
