using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// Trust and safety through the gateway: visitors report a page (once per site and network); a signed-in operator finds
/// it in the queue and suspends it: the page answers 410, the API forgets it, captures are refused; a restore brings it
/// all back; every action is in the audit log under the operator's login; a blocked repository is refused with its code.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ModerationThroughGatewayTests(PlatformApp platform)
{
    private HttpClient Visitor(string address)
    {
        var client = platform.CreateGatewayClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Fact]
    public async Task A_reported_page_is_suspended_from_the_queue_and_restored_with_every_action_audited()
    {
        platform.GitHub.AddRepository("phish-org", "free-stars");
        using var anyone = platform.CreateGatewayClient();
        using var generated = await anyone.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/phish-org/free-stars" });
        var site = await generated.Content.ReadFromJsonAsync<JsonElement>();
        var (siteId, slug) = (site.GetProperty("siteId").GetGuid(), site.GetProperty("slug").GetString()!);
        var capture = await Eventually.ReturnsAsync(() => anyone.PostAsJsonAsync("/api/leads/capture", new { email = "before@example.org", siteId }),
            response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);

        // Two visitors of one network report it, and a third from another: two reports.
        using var first = Visitor("198.51.100.7");
        using var neighbour = Visitor("198.51.100.8");
        using var elsewhere = Visitor("203.0.113.9");
        foreach (var (client, reason) in new[] { (first, "phishing"), (neighbour, "spam"), (elsewhere, "impersonation") })
        {
            using var report = await client.PostAsJsonAsync($"/api/sites/{siteId}/reports", new { reason, details = "Asks for a GitHub token" });
            Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        }

        using var operatorBrowser = new Browser(platform);
        await operatorBrowser.SignInAsync(PlatformApp.OperatorLogin);
        var queue = await operatorBrowser.Client.GetFromJsonAsync<JsonElement>("/api/moderation/reports?state=open");
        var queued = queue.EnumerateArray().Single(entry => entry.GetProperty("siteId").GetGuid() == siteId);
        Assert.Equal(2, queued.GetProperty("reports").GetInt32());
        Assert.Equal("live", queued.GetProperty("state").GetString());

        // Nobody else may act: a visitor is refused, with or without a made-up key.
        using (var refused = await first.PostAsJsonAsync($"/api/moderation/sites/{siteId}/suspend", new { kind = "abuse", reason = "x" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var suspended = await operatorBrowser.Client.PostAsJsonAsync($"/api/moderation/sites/{siteId}/suspend", new { kind = "abuse", reason = "Phishing for tokens" }))
        {
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Gone, (await anyone.GetAsync($"/s/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync($"/api/sites/{siteId}")).StatusCode);
        var refusedCapture = await Eventually.ReturnsAsync(() => anyone.PostAsJsonAsync("/api/leads/capture", new { email = "during@example.org", siteId }),
            response => response.StatusCode == HttpStatusCode.Gone);
        Assert.Equal("site_suspended", (await refusedCapture.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var resolved = await operatorBrowser.Client.GetFromJsonAsync<JsonElement>("/api/moderation/reports?state=open");
        Assert.DoesNotContain(resolved.EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == siteId);

        using (var restored = await operatorBrowser.Client.PostAsJsonAsync($"/api/moderation/sites/{siteId}/restore", new { reason = "Form removed by the owner" }))
        {
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync($"/s/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync($"/api/sites/{siteId}")).StatusCode);
        var reopened = await Eventually.ReturnsAsync(() => anyone.PostAsJsonAsync("/api/leads/capture", new { email = "after@example.org", siteId }),
            response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, reopened.StatusCode);

        var log = (await operatorBrowser.Client.GetFromJsonAsync<JsonElement>("/api/moderation/actions")).EnumerateArray()
            .Where(action => action.GetProperty("siteId").ValueKind == JsonValueKind.String && action.GetProperty("siteId").GetGuid() == siteId).ToList();
        Assert.Equal(["restore", "suspend"], log.Select(action => action.GetProperty("action").GetString()));
        Assert.All(log, action => Assert.Equal(PlatformApp.OperatorLogin, action.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_blocked_repository_is_refused_with_its_code()
    {
        platform.GitHub.AddRepository("spam-org", "crypto-airdrop");
        using var operatorClient = platform.CreateGatewayClient();
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", PlatformApp.OperatorKey);
        using var blocked = await operatorClient.PostAsJsonAsync("/api/moderation/blocks", new { kind = "repository", value = "spam-org/crypto-airdrop", reason = "Scam" });
        Assert.Equal(HttpStatusCode.Created, blocked.StatusCode);

        using var anyone = platform.CreateGatewayClient();
        using var refused = await anyone.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/spam-org/crypto-airdrop" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("blocked", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_account_past_its_daily_quota_is_answered_429_with_retry_after()
    {
        using var prolific = new Browser(platform);
        await prolific.SignInAsync("prolific-pat");
        for (var n = 0; n < PlatformApp.SitesPerAccountPerDay; n++)
        {
            platform.GitHub.AddRepository("prolific-org", $"lib-{n}");
            using var generated = await prolific.Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/prolific-org/lib-{n}" });
            Assert.True(generated.IsSuccessStatusCode, $"site {n}: {generated.StatusCode}");
        }

        platform.GitHub.AddRepository("prolific-org", "one-too-many");
        using var refused = await prolific.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/prolific-org/one-too-many" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("quota_exceeded", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
    }
}
