using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Leads;
using FourSite.Testing;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>Visits, conversions, fraud signals, erasure, the daily coefficient, referrals and commission rates.</summary>
public sealed class GrowthApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName);
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    /// <summary>
    /// A JSON POST as if from <paramref name="clientIp"/> (the in-memory server has no client address of its own, and
    /// a hand-built request must say that it has a body).
    /// </summary>
    private async Task<HttpContext> PostFrom(string path, object body, string? session, string? clientIp = null) =>
        await _service.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = path;
            context.Request.ContentType = "application/json";
            var json = JsonSerializer.SerializeToUtf8Bytes(body);
            context.Request.ContentLength = json.Length;
            context.Request.Body = new MemoryStream(json);
            context.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
            if (session is not null)
            {
                context.Request.Headers["X-Session-Id"] = session;
            }

            context.Connection.RemoteIpAddress = clientIp is null ? null : IPAddress.Parse(clientIp);
        });

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private Task<HttpContext> Share(Guid site, string platform, string session, string? clientIp = null) =>
        PostFrom("/api/share/track", new { websiteId = site, platform, shareUrl = "https://4site.pro/s/kite?via=" + platform }, session, clientIp);

    private Task<HttpContext> Visit(Guid site, string? platform, string session, string? clientIp = null, string? referralCode = null) =>
        PostFrom("/api/share/visit", new { websiteId = site, platform, referralCode }, session, clientIp);

    private async Task<JsonElement> Stats(Guid site) => await _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");

    private async Task<NpgsqlConnection> Database()
    {
        var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static LeadCaptured Lead(Guid site, string? session, string? network = null, string? referrer = null, string? referralCode = null, string? person = null) =>
        new(Guid.NewGuid(), site, person ?? Guid.NewGuid().ToString("N"), 70, false, true, "library", "desktop", referralCode, referrer, session, network, [], DateTimeOffset.UtcNow);

    /// <summary>Publishes a lead that came through a share and waits until the service has recorded its conversion.</summary>
    private async Task Capture(LeadCaptured lead)
    {
        await _service.Services.GetRequiredService<IBus>().Publish(lead);
        await using var connection = await Database();
        var recorded = await Eventually.ReturnsAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM conversions WHERE lead_id = @LeadId", new { lead.LeadId }),
            count => count == 1,
            TimeSpan.FromSeconds(20));
        Assert.Equal(1, recorded);
    }

    private Task<(Guid OwnerId, string Token)> Generated(Guid site, DateTimeOffset? createdAt = null) => GeneratedSites.AnnounceAsync(_service, _client, site, createdAt);

    [Fact]
    public async Task A_visit_through_a_share_counts_once_per_session()
    {
        var site = Guid.NewGuid();
        await Share(site, "twitter", "sharer");

        var first = await Visit(site, "twitter", "reader");
        var again = await Visit(site, "twitter", "reader");

        Assert.Equal(StatusCodes.Status202Accepted, first.Response.StatusCode);
        Assert.Equal(StatusCodes.Status202Accepted, again.Response.StatusCode);
        var stats = await Stats(site);
        Assert.Equal(1, stats.GetProperty("visitsFromShares").GetInt32());
        Assert.Equal(2.5, stats.GetProperty("viralScore").GetDouble(), 2);
    }

    [Fact]
    public async Task A_visit_from_the_sharers_session_or_network_is_kept_but_earns_nothing()
    {
        var site = Guid.NewGuid();
        await Share(site, "reddit", "sharer", "198.51.100.7");

        await Visit(site, "reddit", "sharer", "203.0.113.9");
        await Visit(site, "reddit", "neighbour", "198.51.100.80");
        await Visit(site, "reddit", "stranger", "203.0.113.9");

        await using var connection = await Database();
        var reasons = (await connection.QueryAsync<(string Session, string? Reason)>(
            "SELECT session_id, fraud_reason FROM share_visits WHERE website_id = @site", new { site })).ToDictionary(row => row.Session, row => row.Reason);
        Assert.Equal("same_session", reasons["sharer"]);
        Assert.Equal("same_network", reasons["neighbour"]);
        Assert.Null(reasons["stranger"]);
        Assert.Equal(1, (await Stats(site)).GetProperty("visitsFromShares").GetInt32());
    }

    [Theory]
    [InlineData("not-a-uuid", "twitter", "s", "websiteId")]
    [InlineData("6f1c0d7e-0000-4000-8000-000000000001", "myspace", "s", "platform")]
    [InlineData("6f1c0d7e-0000-4000-8000-000000000001", null, "s", "platform")]
    [InlineData("6f1c0d7e-0000-4000-8000-000000000001", "twitter", null, "X-Session-Id")]
    public async Task Bad_visits_are_400_naming_the_field(string websiteId, string? platform, string? session, string field)
    {
        var context = await PostFrom("/api/share/visit", new { websiteId, platform }, session);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Leads_that_came_through_shares_are_conversions_unless_flagged()
    {
        var site = Guid.NewGuid();
        await Share(site, "hackernews", "sharer", "198.51.100.7");
        await Visit(site, "hackernews", "reader", "203.0.113.9");

        var fromVisit = Lead(site, "reader", "203.0.113.0/24");
        var fromReferrer = Lead(site, "other", "192.0.2.0/24", referrer: "https://news.ycombinator.com/item?id=1");
        var fromSharer = Lead(site, "sharer", "203.0.113.0/24", referrer: "https://news.ycombinator.com/item?id=1");
        await Capture(fromVisit);
        await Capture(fromReferrer);
        await Capture(fromSharer);
        await _service.Services.GetRequiredService<IBus>().Publish(fromVisit with { Duplicate = true, LeadScore = 90 });
        await _service.Services.GetRequiredService<IBus>().Publish(fromVisit);

        await using var connection = await Database();
        var rows = (await connection.QueryAsync<(Guid LeadId, string? Platform, bool Verified, string? Reason)>(
            "SELECT lead_id, platform, verified, fraud_reason FROM conversions WHERE website_id = @site", new { site })).ToDictionary(row => row.LeadId);
        Assert.Equal(3, rows.Count);
        Assert.True(rows[fromVisit.LeadId].Verified);
        Assert.Equal("hackernews", rows[fromReferrer.LeadId].Platform);
        Assert.Equal("same_session", rows[fromSharer.LeadId].Reason);
        var stats = await Stats(site);
        Assert.Equal(2, stats.GetProperty("leadsFromShares").GetInt32());
        Assert.Equal(3 + 0.5 + (2 * 3), stats.GetProperty("viralScore").GetDouble(), 2);
    }

    [Fact]
    public async Task A_lead_from_nowhere_is_not_a_conversion()
    {
        var site = Guid.NewGuid();
        await Share(site, "email", "sharer");
        var direct = Lead(site, "walk-in", "192.0.2.0/24", referrer: "https://www.google.com/");
        var probe = Lead(site, "probe", "192.0.2.0/24", referrer: "https://t.co/x");

        await _service.Services.GetRequiredService<IBus>().Publish(direct);
        await Capture(probe);

        await using var connection = await Database();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM conversions WHERE lead_id = @LeadId", new { direct.LeadId }));
    }

    [Fact]
    public async Task Conversions_from_one_network_faster_than_people_are_flagged()
    {
        var site = Guid.NewGuid();
        await Share(site, "twitter", "sharer", "198.51.100.7");

        var leads = Enumerable.Range(0, 5).Select(i => Lead(site, $"bot-{i}", "192.0.2.0/24", referrer: "https://t.co/x")).ToList();
        foreach (var lead in leads)
        {
            await Capture(lead);
        }

        await using var connection = await Database();
        var reasons = await connection.QueryAsync<string?>("SELECT fraud_reason FROM conversions WHERE website_id = @site ORDER BY created_at", new { site });
        Assert.Equal([null, null, null, "velocity", "velocity"], reasons);
        Assert.Equal(3, (await Stats(site)).GetProperty("leadsFromShares").GetInt32());
    }

    [Fact]
    public async Task Erasing_a_person_removes_their_conversions_and_the_credit()
    {
        var site = Guid.NewGuid();
        await Share(site, "linkedin", "sharer");
        var lead = Lead(site, "reader", "203.0.113.0/24", referrer: "https://www.linkedin.com/feed", person: "a1b2c3");
        await Capture(lead);
        Assert.Equal(1, (await Stats(site)).GetProperty("leadsFromShares").GetInt32());

        await _service.Services.GetRequiredService<IBus>().Publish(new LeadErased("a1b2c3", 1, DateTimeOffset.UtcNow));

        await using var connection = await Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM conversions WHERE person_hash = 'a1b2c3'"), count => count == 0);
        var stats = await Stats(site);
        Assert.Equal(0, stats.GetProperty("leadsFromShares").GetInt32());
        Assert.Equal(2, stats.GetProperty("viralScore").GetDouble(), 2);
    }

    [Fact]
    public async Task The_daily_coefficient_gives_verified_and_raw_K_and_the_funnel()
    {
        await using var connection = await Database();
        var day = new DateTime(2001, 2, 3, 10, 0, 0, DateTimeKind.Utc);
        var site = Guid.NewGuid();
        foreach (var (platform, session) in new[] { ("twitter", "a"), ("twitter", "a"), ("twitter", "b"), ("reddit", "b") })
        {
            await connection.ExecuteAsync("INSERT INTO shares (id, website_id, platform, share_url, session_id, created_at) VALUES (@id, @site, @platform, 'https://x.example', @session, @day)",
                new { id = Guid.NewGuid(), site, platform, session, day });
        }

        foreach (var (platform, session, verified) in new[] { ("twitter", "v1", true), ("twitter", "v2", true), ("reddit", "v3", true), ("reddit", "v4", false) })
        {
            await connection.ExecuteAsync("INSERT INTO share_visits (id, website_id, platform, session_id, verified, created_at) VALUES (@id, @site, @platform, @session, @verified, @day)",
                new { id = Guid.NewGuid(), site, platform, session, verified, day });
        }

        foreach (var verified in new[] { true, false })
        {
            await connection.ExecuteAsync("INSERT INTO conversions (lead_id, website_id, person_hash, platform, verified, created_at) VALUES (@id, @site, 'p', 'twitter', @verified, @day)",
                new { id = Guid.NewGuid(), site, verified, day });
        }

        var body = await _client.GetFromJsonAsync<JsonElement>("/api/viral/coefficient?date=2001-02-03");

        Assert.Equal("2001-02-03", body.GetProperty("date").GetString());
        Assert.Equal(2, body.GetProperty("invitesPerUser").GetDouble());
        Assert.Equal(0.25, body.GetProperty("conversionRate").GetDouble());
        Assert.Equal(0.5, body.GetProperty("viralCoefficient").GetDouble());
        Assert.Equal(1, body.GetProperty("rawViralCoefficient").GetDouble());
        var funnel = body.GetProperty("funnel").EnumerateArray().ToDictionary(row => row.GetProperty("platform").GetString()!);
        Assert.Equal((3, 2, 1), (funnel["twitter"].GetProperty("shares").GetInt32(), funnel["twitter"].GetProperty("visits").GetInt32(), funnel["twitter"].GetProperty("leads").GetInt32()));
        Assert.Equal("visit_to_lead", funnel["twitter"].GetProperty("weakestStep").GetString());
        Assert.Equal(1, funnel["reddit"].GetProperty("visits").GetInt32());
        var empty = await _client.GetFromJsonAsync<JsonElement>("/api/viral/coefficient?date=2001-02-04");
        Assert.Equal(0, empty.GetProperty("viralCoefficient").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/viral/coefficient?date=03/02/2001")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/viral/coefficient")).StatusCode);
    }

    [Fact]
    public async Task An_owner_gets_one_referral_code_and_sees_what_it_brought()
    {
        var site = Guid.NewGuid();
        var (ownerId, token) = await Generated(site);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsync("/api/referrals", null)).StatusCode);
        using var stranger = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", "Bearer not-a-token" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(stranger)).StatusCode);

        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", $"Bearer {token}" } } };
        using var created = await _client.SendAsync(issue);
        using var reissue = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", $"Bearer {token}" } } };
        using var same = await _client.SendAsync(reissue);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        var referral = await created.Content.ReadFromJsonAsync<JsonElement>();
        var code = referral.GetProperty("code").GetString()!;
        Assert.Equal(code, (await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(ownerId, referral.GetProperty("ownerId").GetGuid());
        Assert.EndsWith($"?ref={code}", referral.GetProperty("sharePath").GetString());

        await Visit(site, null, "friend", "203.0.113.9", code);
        await Capture(Lead(site, "friend", "203.0.113.0/24", referralCode: code));
        await Capture(Lead(site, "friend-2", "203.0.113.0/24", referralCode: code));
        await Capture(Lead(site, "friend-3", "203.0.113.0/24", referralCode: code));
        await Capture(Lead(site, "friend-4", "203.0.113.0/24", referralCode: code));

        var stats = await _client.GetFromJsonAsync<JsonElement>($"/api/referrals/{code}");
        Assert.Equal(1, stats.GetProperty("clicks").GetInt32());
        Assert.Equal(3, stats.GetProperty("conversions").GetInt32());
        Assert.Equal(1, stats.GetProperty("flaggedConversions").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/referrals/zzzzzzzzzz")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/referrals/%3Cscript%3E")).StatusCode);
    }

    [Fact]
    public async Task The_commission_rate_follows_the_schedule()
    {
        var site = Guid.NewGuid();
        var (ownerId, _) = await Generated(site, DateTimeOffset.UtcNow.AddMonths(-13));

        var byMonths = await _client.GetFromJsonAsync<JsonElement>($"/api/commissions/rate?userId={Guid.NewGuid()}&months=6");
        var byOwner = await _client.GetFromJsonAsync<JsonElement>($"/api/commissions/rate?userId={ownerId}");
        var newcomer = await _client.GetFromJsonAsync<JsonElement>($"/api/commissions/rate?userId={Guid.NewGuid()}");

        Assert.Equal(0.30m, byMonths.GetProperty("rate").GetDecimal());
        Assert.Equal(0.35m, byOwner.GetProperty("rate").GetDecimal());
        Assert.Equal(13, byOwner.GetProperty("months").GetInt32());
        Assert.Equal(0.20m, newcomer.GetProperty("rate").GetDecimal());
        Assert.Equal(5, byMonths.GetProperty("schedule").GetArrayLength());
        foreach (var bad in new[] { "", "?userId=nope", "?months=-1", "?months=abc", "?userId=" + Guid.NewGuid() + "&months=99999" })
        {
            using var response = await _client.GetAsync("/api/commissions/rate" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
