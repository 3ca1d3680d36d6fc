using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Contracts.Viral;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// What Pro gives a site on Generation's side, from Viral's announcements: no FourSite badge while Pro (back once Pro
/// runs out), and the subscription shown to the site's owner only.
/// </summary>
public sealed class ProSiteTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers, settings: new Dictionary<string, string?>(TestAccounts.Settings));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client => _host.Client;

    private async Task<(Guid SiteId, string Slug, string OwnerToken)> GenerateAsync(string name)
    {
        _host.GitHub.AddRepository("octo", name);
        using var response = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/octo/{name}" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!, body.GetProperty("ownerToken").GetString()!);
    }

    private Task AnnounceAsync(SiteProChanged change) => _host.Service.Services.GetRequiredService<IBus>().Publish(change);

    private Task<string> PageAsync(string slug) => Client.GetStringAsync($"/s/{slug}");

    private async Task<JsonElement> SiteAsync(Guid siteId, string? ownerToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{siteId}");
        if (ownerToken is not null)
        {
            request.Headers.Add("Authorization", $"Bearer {ownerToken}");
        }

        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_pro_site_is_served_without_the_badge_until_pro_runs_out()
    {
        var (siteId, slug, token) = await GenerateAsync("pro-kite");
        Assert.Contains("Made with <a href=\"/\">FourSite</a>", await PageAsync(slug));
        Assert.False((await SiteAsync(siteId, token)).GetProperty("pro").GetProperty("active").GetBoolean());

        var renewsAt = DateTimeOffset.UtcNow.AddMonths(1);
        await AnnounceAsync(new SiteProChanged(siteId, "pro", renewsAt, renewsAt, null, null, DateTimeOffset.UtcNow));
        var page = await Eventually.ReturnsAsync(() => PageAsync(slug), html => !html.Contains("Made with", StringComparison.Ordinal));
        Assert.DoesNotContain("Made with", page);
        Assert.Contains("octo/pro-kite", page);
        var pro = (await SiteAsync(siteId, token)).GetProperty("pro");
        Assert.True(pro.GetProperty("active").GetBoolean());
        Assert.Equal("pro", pro.GetProperty("plan").GetString());
        Assert.Equal(renewsAt.ToUnixTimeSeconds(), pro.GetProperty("renewsAt").GetDateTimeOffset().ToUnixTimeSeconds());

        // An older announcement arriving late changes nothing; a newer one whose Pro has run out brings the badge back.
        await AnnounceAsync(new SiteProChanged(siteId, null, null, null, null, null, DateTimeOffset.UtcNow.AddMinutes(-5)));
        await AnnounceAsync(new SiteProChanged(siteId, "pro", DateTimeOffset.UtcNow.AddSeconds(-1), null, DateTimeOffset.UtcNow.AddSeconds(-1), null, DateTimeOffset.UtcNow));
        Assert.Contains("Made with", await Eventually.ReturnsAsync(() => PageAsync(slug), html => html.Contains("Made with", StringComparison.Ordinal)));
        Assert.False((await SiteAsync(siteId, token)).GetProperty("pro").GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_sites_subscription_is_shown_to_its_owner_only()
    {
        var (siteId, _, token) = await GenerateAsync("private-plan");
        var graceUntil = DateTimeOffset.UtcNow.AddDays(7);
        await AnnounceAsync(new SiteProChanged(siteId, "pro-annual", graceUntil, null, null, graceUntil, DateTimeOffset.UtcNow));
        var pro = await Eventually.ReturnsAsync(() => SiteAsync(siteId, token), site => site.GetProperty("pro").GetProperty("active").GetBoolean());
        Assert.Equal(graceUntil.ToUnixTimeSeconds(), pro.GetProperty("pro").GetProperty("graceUntil").GetDateTimeOffset().ToUnixTimeSeconds());

        Assert.False((await SiteAsync(siteId, null)).TryGetProperty("pro", out _));
        Assert.False((await SiteAsync(siteId, "someone-elses-token")).TryGetProperty("pro", out _));
        using var stranger = new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{siteId}").As("generation", Guid.NewGuid());
        using var answered = await Client.SendAsync(stranger);
        Assert.False((await answered.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("pro", out _));
    }
}
