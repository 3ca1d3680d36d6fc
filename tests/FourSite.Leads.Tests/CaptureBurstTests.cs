using System.Net;
using System.Net.Http.Json;
using Dapper;
using FourSite.Leads.Tests.Email;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>
/// A lead form flooded from one network raises its site for review: once the network's new leads in an hour reach the
/// setting, <c>SiteFlagged</c> is announced with the lead that reached it, once a day; repeats and bots do not count.
/// </summary>
public sealed class CaptureBurstTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const int PerHour = 3;
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers, new Dictionary<string, string?>
    {
        ["FourSite:Abuse:CapturesPerNetworkPerHour"] = PerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, TestClientAddress.Register);

    /// <summary>A capture from a visitor at <paramref name="address"/>.</summary>
    private async Task<HttpStatusCode> CaptureAsync(Guid siteId, string email, string address = "203.0.113.7", string? website = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/capture") { Content = JsonContent.Create(new { email, siteId, website }) };
        request.Headers.Add(TestClientAddress.Header, address);
        using var response = await _leads.Client.SendAsync(request);
        return response.StatusCode;
    }

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    private async Task<int> FlagsAsync(Guid siteId)
    {
        await using var connection = _leads.Database();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.SiteFlagged,%' AND body->>'siteId' = @site",
            new { site = siteId.ToString() });
    }

    [Fact]
    public async Task The_capture_that_reaches_the_burst_flags_the_site_once()
    {
        var site = await _leads.SiteAsync(Guid.NewGuid(), verified: false, "token-of-a-flooded-site");
        var quiet = await _leads.SiteAsync(Guid.NewGuid(), verified: false, "token-of-a-quiet-site");

        for (var n = 0; n < PerHour - 1; n++)
        {
            Assert.Equal(HttpStatusCode.Created, await CaptureAsync(site, $"flood-{n}@example.org"));
        }

        // A repeat of a lead, a bot's capture and a lead from another network are not the burst; nor is another site's lead.
        Assert.Equal(HttpStatusCode.OK, await CaptureAsync(site, "flood-0@example.org"));
        Assert.True(await CaptureAsync(site, "bot@example.org", website: "spam") is HttpStatusCode.OK or HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, await CaptureAsync(site, "neighbour@example.org", address: "198.51.100.4"));
        Assert.Equal(HttpStatusCode.Created, await CaptureAsync(quiet, "elsewhere@example.org"));
        Assert.Equal(0, await FlagsAsync(site));

        Assert.Equal(HttpStatusCode.Created, await CaptureAsync(site, "flood-last@example.org"));
        Assert.Equal(1, await FlagsAsync(site));
        Assert.Equal(HttpStatusCode.Created, await CaptureAsync(site, "flood-more@example.org"));
        Assert.Equal(1, await FlagsAsync(site));
        Assert.Equal(0, await FlagsAsync(quiet));

        await using var connection = _leads.Database();
        var (check, details) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT body->>'check', body->>'details' FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.SiteFlagged,%' AND body->>'siteId' = @site",
            new { site = site.ToString() });
        Assert.Equal("capture_burst", check);
        Assert.Contains("203.0.113.0/24", details, StringComparison.Ordinal);
    }
}
