using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Webhooks;

/// <summary>Managing a site's webhooks: only its owner may, and what they send is checked.</summary>
public sealed class WebhookApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private WebhookService _leads = null!;

    public async Task InitializeAsync() => _leads = await WebhookService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    [Fact]
    public async Task The_owner_adds_lists_rotates_and_removes_webhooks_and_sees_the_secret_once()
    {
        var owner = Guid.NewGuid();
        var siteId = await _leads.SiteAsync("token-of-a-webhook-owner", owner);

        using var created = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks",
            new { url = "https://hooks.example.org/foursite", events = new[] { "lead.captured", "site.featured" } }, account: owner);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var webhookId = body.GetProperty("webhookId").GetGuid();
        Assert.Equal($"/api/sites/{siteId}/webhooks/{webhookId}", created.Headers.Location?.ToString());
        Assert.Matches("^whsec_[A-Za-z0-9+/]{32}$", body.GetProperty("secret").GetString());
        Assert.Equal(["lead.captured", "site.featured"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()!));

        // The token works as well as the account; the list never shows a secret.
        using var listed = await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/webhooks", token: "token-of-a-webhook-owner");
        var list = await listed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("https://hooks.example.org/foursite", list);
        Assert.DoesNotContain("whsec_", list);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);

        using var rotated = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks/{webhookId}/rotate-secret", account: owner);
        var rotation = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(body.GetProperty("secret").GetString(), rotation.GetProperty("secret").GetString());
        Assert.True(rotation.GetProperty("previousSecretExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));

        Assert.Equal(HttpStatusCode.NoContent, (await _leads.SendAsync(HttpMethod.Delete, $"/api/sites/{siteId}/webhooks/{webhookId}", account: owner)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _leads.SendAsync(HttpMethod.Delete, $"/api/sites/{siteId}/webhooks/{webhookId}", account: owner)).StatusCode);
        Assert.Equal("[]", await (await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/webhooks", account: owner)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Nobody_else_may_see_or_touch_a_sites_webhooks()
    {
        var owner = Guid.NewGuid();
        var stranger = Guid.NewGuid();
        var siteId = await _leads.SiteAsync("token-of-a-guarded-webhook", owner);
        var strangersSite = await _leads.SiteAsync("token-of-the-strangers-site", stranger);
        var (webhookId, _) = await _leads.AddWebhookAsync(siteId, "https://hooks.example.org/guarded", ["lead.captured"], account: owner);
        var deliveryId = Guid.NewGuid();

        var calls = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "", null),
            (HttpMethod.Post, "", new { url = "https://attacker.example/steal", events = new[] { "lead.captured" } }),
            (HttpMethod.Delete, $"/{webhookId}", null),
            (HttpMethod.Post, $"/{webhookId}/rotate-secret", null),
            (HttpMethod.Post, $"/{webhookId}/enable", null),
            (HttpMethod.Post, $"/{webhookId}/test", null),
            (HttpMethod.Get, $"/{webhookId}/deliveries", null),
            (HttpMethod.Post, $"/{webhookId}/deliveries/{deliveryId}/redeliver", null),
        };
        foreach (var (method, path, body) in calls)
        {
            var url = $"/api/sites/{siteId}/webhooks{path}";
            Assert.Equal(HttpStatusCode.Unauthorized, (await _leads.SendAsync(method, url, body)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _leads.SendAsync(method, url, body, account: stranger)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _leads.SendAsync(method, url, body, token: "someone-elses-token")).StatusCode);
            // The stranger's own site does not open another site's webhook.
            if (path.Length > 0)
            {
                var across = await _leads.SendAsync(method, $"/api/sites/{strangersSite}/webhooks{path}", body, account: stranger);
                Assert.Equal(HttpStatusCode.NotFound, across.StatusCode);
            }
        }

        var still = await (await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/webhooks", account: owner)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(webhookId, Assert.Single(still.EnumerateArray()).GetProperty("webhookId").GetGuid());
    }

    [Theory]
    [InlineData("http://hooks.example.org/plain", "url")]
    [InlineData("https://user:pass@hooks.example.org/", "url")]
    [InlineData("https://localhost/hook", "url")]
    [InlineData("https://[::1]/hook", "url")]
    [InlineData("ftp://hooks.example.org/", "url")]
    [InlineData("not a url", "url")]
    [InlineData(null, "url")]
    public async Task Targets_must_be_https_urls_of_the_internet(string? url, string field)
    {
        var siteId = await _leads.SiteAsync("token-of-a-careful-owner");
        using var response = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks", new { url, events = new[] { "lead.captured" } }, token: "token-of-a-careful-owner");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Events_must_be_known_and_a_site_has_at_most_ten_webhooks()
    {
        var siteId = await _leads.SiteAsync("token-of-a-busy-owner");
        foreach (var events in new object?[] { null, Array.Empty<string>(), new[] { "lead.deleted" }, new[] { "webhook.test" } })
        {
            using var invalid = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks", new { url = "https://hooks.example.org/", events }, token: "token-of-a-busy-owner");
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("events", out _));
        }

        for (var n = 0; n < 10; n++)
        {
            await _leads.AddWebhookAsync(siteId, $"https://hooks.example.org/{n}", ["lead.captured"], token: "token-of-a-busy-owner");
        }

        using var eleventh = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks",
            new { url = "https://hooks.example.org/11", events = new[] { "lead.captured" } }, token: "token-of-a-busy-owner");
        Assert.Equal(HttpStatusCode.Conflict, eleventh.StatusCode);
        Assert.Equal("too_many_webhooks", (await eleventh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Webhooks_of_someone_who_lost_the_site_go_with_their_access()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync("token-of-an-anonymous-maker");
        await _leads.AddWebhookAsync(siteId, "https://hooks.example.org/maker", ["lead.captured"], token: "token-of-an-anonymous-maker");

        // The repository's maintainers take the site over: the maker's token, and its webhook, are gone.
        await _leads.Bus.Publish(new SiteOwnerChanged(siteId, maintainer, Verified: true, null, DateTimeOffset.UtcNow));
        var left = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/webhooks", account: maintainer);
            return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength() : -1;
        }, count => count == 0);
        Assert.Equal(0, left);

        // A claim into the maker's own account keeps what that account made.
        var maker = Guid.NewGuid();
        var claimed = await _leads.SiteAsync("token-of-a-claimed-site");
        await _leads.AddWebhookAsync(claimed, "https://hooks.example.org/kept", ["lead.captured"], token: "token-of-a-claimed-site");
        await _leads.Bus.Publish(new SiteOwnerChanged(claimed, maker, Verified: false, Credentials.Hash("token-of-a-claimed-site"), DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(() => _leads.SendAsync(HttpMethod.Get, $"/api/sites/{claimed}/webhooks", account: maker), response => response.IsSuccessStatusCode);
        var kept = await (await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{claimed}/webhooks", account: maker)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, kept.GetArrayLength());
    }
}
