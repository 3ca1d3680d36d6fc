using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Leads.Capture;
using FourSite.Leads.Ownership;
using FourSite.ServiceDefaults.Identity;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>The leads contract against real PostgreSQL, Redis and RabbitMQ.</summary>
public sealed class LeadsApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-tests";
    private const string SiteId = "123e4567-e89b-12d3-a456-426614174000";
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>(TestAccounts.Settings)
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
        });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    /// <summary>The launch spec's contract payload.</summary>
    private static Dictionary<string, object?> SeedPayload(string email = "test@example.com", string siteId = SiteId) => new()
    {
        ["email"] = email,
        ["siteId"] = siteId,
        ["projectType"] = "tech",
        ["template"] = "TechProjectTemplate",
        ["projectInterests"] = new[] { "AI/ML", "Web Development" },
        ["socialPlatforms"] = new[] { "twitter" },
        ["newsletterOptIn"] = true,
        ["metadata"] = new Dictionary<string, object?>
        {
            ["timeOnSite"] = 120,
            ["scrollDepth"] = 85,
            ["interactionCount"] = 5,
            ["sectionsViewed"] = new[] { "hero", "features", "demo" },
            ["deviceType"] = "desktop",
            ["screenResolution"] = "1920x1080",
            ["timezone"] = "America/New_York",
            ["language"] = "en-US",
            ["referrer"] = "https://github.com",
            ["userAgent"] = "Mozilla/5.0...",
            ["sessionId"] = "sess_123",
        },
        ["captureTimestamp"] = DateTimeOffset.UtcNow,
    };

    private Task<HttpResponseMessage> Capture(object payload) => _client.PostAsJsonAsync("/api/leads/capture", payload);

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    [Fact]
    public async Task Captures_the_seed_payload_with_an_explained_score()
    {
        using var response = await Capture(SeedPayload());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", body.GetProperty("leadId").GetString());
        Assert.True(body.GetProperty("leadScore").GetInt32() > 50);
        var breakdown = body.GetProperty("scoreBreakdown");
        Assert.Equal(body.GetProperty("leadScore").GetInt32(),
            breakdown.GetProperty("fit").GetProperty("score").GetInt32() + breakdown.GetProperty("intent").GetProperty("score").GetInt32() + breakdown.GetProperty("engagement").GetProperty("score").GetInt32());
        Assert.False(body.TryGetProperty("duplicate", out var duplicate) && duplicate.ValueKind == JsonValueKind.True);
    }

    [Fact]
    public async Task The_same_person_again_is_one_lead_with_merged_engagement()
    {
        var first = await (await Capture(SeedPayload("John.Doe@gmail.com"))).Content.ReadFromJsonAsync<JsonElement>();
        var repeat = SeedPayload("johndoe+again@googlemail.com");
        ((Dictionary<string, object?>)repeat["metadata"]!)["timeOnSite"] = 30;

        using var response = await Capture(repeat);
        var second = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("leadId").GetGuid(), second.GetProperty("leadId").GetGuid());
        await using var connection = Database();
        var row = await connection.QuerySingleAsync<(string Email, int CaptureCount, string Metadata)>(
            "SELECT email, capture_count, metadata::text FROM leads WHERE site_id = @SiteId::uuid", new { SiteId });
        Assert.Equal("John.Doe@gmail.com", row.Email);
        Assert.Equal(2, row.CaptureCount);
        Assert.Equal(150, JsonDocument.Parse(row.Metadata).RootElement.GetProperty("engagement").GetProperty("timeOnSiteSeconds").GetDouble());
    }

    [Fact]
    public async Task Concurrent_duplicates_make_one_row()
    {
        var site = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Capture(SeedPayload("race@example.com", site))));

        Assert.All(responses, response => Assert.True(response.IsSuccessStatusCode));
        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Created);
        await using var connection = Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE site_id = @site::uuid", new { site }));
        Assert.Equal(20, await connection.ExecuteScalarAsync<int>("SELECT capture_count FROM leads WHERE site_id = @site::uuid", new { site }));
    }

    [Theory]
    [InlineData("'; DROP TABLE users; --")]
    [InlineData("' OR '1'='1")]
    [InlineData("'; INSERT INTO users (email) VALUES ('hacker@evil.com'); --")]
    [InlineData("<script>alert(\"xss\")</script>")]
    [InlineData("javascript:alert(\"xss\")")]
    public async Task Sql_and_script_looking_emails_are_400(string email)
    {
        using var response = await Capture(new { email, siteId = SiteId });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
        await using var connection = Database();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads"));
    }

    [Theory]
    [InlineData("siteId", "not-a-uuid", "siteId")]
    [InlineData("projectType", "spaceship", "projectType")]
    [InlineData("template", "<b>Template", "template")]
    [InlineData("referralCode", "x", "referralCode")]
    public async Task Bad_fields_are_400_with_the_field_named(string field, string value, string errorKey)
    {
        var payload = SeedPayload();
        payload[field] = value;

        using var response = await Capture(payload);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out _));
    }

    [Theory]
    [InlineData("scrollDepth", 101, "metadata.scrollDepth")]
    [InlineData("scrollDepth", -1, "metadata.scrollDepth")]
    [InlineData("timeOnSite", -5, "metadata.timeOnSite")]
    [InlineData("deviceType", "toaster", "metadata.deviceType")]
    [InlineData("referrer", "javascript:alert(1)", "metadata.referrer")]
    [InlineData("sessionId", "sess 1; drop", "metadata.sessionId")]
    public async Task Out_of_range_metadata_is_400(string field, object value, string errorKey)
    {
        var payload = SeedPayload();
        ((Dictionary<string, object?>)payload["metadata"]!)[field] = value;

        using var response = await Capture(payload);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out _), problem.ToString());
    }

    [Fact]
    public async Task Oversize_lists_and_strings_are_400()
    {
        var payload = SeedPayload();
        payload["projectInterests"] = Enumerable.Range(0, 11).Select(i => $"topic {i}").ToArray();
        ((Dictionary<string, object?>)payload["metadata"]!)["userAgent"] = new string('x', 600);

        using var response = await Capture(payload);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("projectInterests", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata.userAgent", out _));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        using var response = await _client.PostAsync("/api/leads/capture", new StringContent("{\"email\": [", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_not_stored()
    {
        var payload = SeedPayload("mass@example.com");
        payload["leadScore"] = 100;
        payload["isSpam"] = false;
        payload["id"] = Guid.Empty;

        using var response = await Capture(payload);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual(Guid.Empty, body.GetProperty("leadId").GetGuid());
        Assert.NotEqual(100, body.GetProperty("leadScore").GetInt32());
    }

    [Fact]
    public async Task A_filled_honeypot_is_accepted_but_stored_as_spam_and_never_announced()
    {
        var payload = SeedPayload("bot@example.com");
        payload["website"] = "http://spam.example";

        using var response = await Capture(payload);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var connection = Database();
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT is_spam FROM leads WHERE email = 'bot@example.com'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.LeadCaptured%'"));
    }

    [Fact]
    public async Task A_bot_never_changes_a_real_lead_and_a_person_after_a_bot_is_new()
    {
        var bot = SeedPayload("later@example.com");
        bot["website"] = "http://spam.example";
        await Capture(bot);
        using var person = await Capture(SeedPayload("later@example.com"));
        await Capture(bot);

        var body = await person.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        await using var connection = Database();
        var row = await connection.QuerySingleAsync<(bool IsSpam, int CaptureCount)>("SELECT is_spam, capture_count FROM leads WHERE email = 'later@example.com'");
        Assert.False(row.IsSpam);
        Assert.Equal(2, row.CaptureCount);
        var announced = await connection.QuerySingleAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.LeadCaptured%'");
        Assert.False(JsonDocument.Parse(announced).RootElement.GetProperty("duplicate").GetBoolean());
        Assert.Equal(body.GetProperty("leadId").GetGuid(), JsonDocument.Parse(announced).RootElement.GetProperty("leadId").GetGuid());
    }

    [Fact]
    public async Task A_capture_time_with_any_offset_is_stored_in_utc()
    {
        var payload = SeedPayload("offset@example.com");
        payload["captureTimestamp"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(2)).ToString("O");

        using var response = await Capture(payload);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Each_counted_capture_is_announced_once_without_the_email()
    {
        using var first = await Capture(SeedPayload("event@example.com"));
        await Capture(SeedPayload("event@example.com"));

        var leadId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("leadId").GetGuid();
        await using var connection = Database();
        var bodies = (await connection.QueryAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.LeadCaptured%' ORDER BY id")).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.All(bodies, body => Assert.DoesNotContain("event@example.com", body));
        Assert.False(JsonDocument.Parse(bodies[0]).RootElement.GetProperty("duplicate").GetBoolean());
        Assert.True(JsonDocument.Parse(bodies[1]).RootElement.GetProperty("duplicate").GetBoolean());
        Assert.All(bodies, body => Assert.Equal(leadId, JsonDocument.Parse(body).RootElement.GetProperty("leadId").GetGuid()));
        var sent = await Eventually.ReturnsAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NOT NULL"), count => count == 2);
        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task Only_the_site_owner_reads_its_leads()
    {
        var siteId = Guid.NewGuid();
        const string token = "owner-token-of-this-site";
        await AnnounceSiteAsync(siteId, token);
        await Capture(SeedPayload("reader@example.com", siteId.ToString()));
        await Capture(SeedPayload("other@example.com", Guid.NewGuid().ToString()));

        var owned = await Eventually.ReturnsAsync(() => ListLeads(siteId, token), response => response.StatusCode == HttpStatusCode.OK);
        var leads = await owned.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, owned.StatusCode);
        // A token holder sees its leads, but not who they are: emails go only to the repository's verified maintainers.
        Assert.Equal(["r***@example.com"], leads.EnumerateArray().Select(lead => lead.GetProperty("email").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await ListLeads(siteId, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ListLeads(siteId, "someone-elses-token")).StatusCode);
        // A site not known here yet (its SiteGenerated still on the way) is not a refusal: ask again shortly.
        using var notYetKnown = await ListLeads(Guid.NewGuid(), token);
        Assert.Equal(HttpStatusCode.NotFound, notYetKnown.StatusCode);
        Assert.Equal("site_not_found", (await notYetKnown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.True(notYetKnown.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_removed_site_takes_its_leads_and_only_its_leads_with_it()
    {
        var siteId = Guid.NewGuid();
        var otherSite = Guid.NewGuid();
        const string token = "owner-token-of-a-removed-site";
        await AnnounceSiteAsync(siteId, token);
        await Capture(SeedPayload("first@example.com", siteId.ToString()));
        await Capture(SeedPayload("second@example.com", siteId.ToString()));
        await Capture(SeedPayload("first@example.com", otherSite.ToString()));
        await Eventually.ReturnsAsync(() => ListLeads(siteId, token), response => response.StatusCode == HttpStatusCode.OK);

        var bus = _service.Services.GetRequiredService<IBus>();
        await bus.Publish(new SiteRemoved(siteId, "kite-1234", DateTimeOffset.UtcNow));
        await bus.Publish(new SiteRemoved(siteId, "kite-1234", DateTimeOffset.UtcNow));

        await using var connection = Database();
        var left = await Eventually.ReturnsAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE site_id = @siteId", new { siteId }), count => count == 0);
        Assert.Equal(0, left);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM lead_sites WHERE site_id = @siteId", new { siteId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE site_id = @otherSite", new { otherSite }));
        Assert.Equal(HttpStatusCode.NotFound, (await ListLeads(siteId, token)).StatusCode);

        // Nothing comes back: a capture from a page still open is refused, and SiteGenerated handled late changes nothing.
        using var late = await Capture(SeedPayload("third@example.com", siteId.ToString()));
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("site_removed", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await _service.Services.GetRequiredService<SiteOwnerStore>().RememberAsync(siteId, Guid.NewGuid(), ServiceDefaults.Access.Credentials.Hash(token), null, CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM lead_sites WHERE site_id = @siteId", new { siteId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE site_id = @siteId", new { siteId }));
    }

    [Fact]
    public async Task A_capture_waiting_on_a_removal_is_refused_once_the_removal_commits()
    {
        var siteId = Guid.NewGuid();
        await using var removal = Database();
        await removal.OpenAsync();
        await using var transaction = await removal.BeginTransactionAsync();
        await removal.ExecuteAsync($"SELECT pg_advisory_xact_lock({LeadStore.SiteLock})", new { SiteId = siteId }, transaction);
        await removal.ExecuteAsync("INSERT INTO removed_sites (site_id) VALUES (@siteId)", new { siteId }, transaction);

        var capture = Capture(SeedPayload("waiting@example.com", siteId.ToString()));
        await using var observer = Database();
        var waiting = await Eventually.ReturnsAsync(
            () => observer.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"), count => count > 0);
        Assert.True(waiting > 0, "the capture never waited for the removal");
        await transaction.CommitAsync();

        using var response = await capture;
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal(0, await observer.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE site_id = @siteId", new { siteId }));
    }

    /// <summary>Announces a site as Generation does, so its owner token (and its account, when it has one) may read its leads.</summary>
    private Task AnnounceSiteAsync(Guid siteId, string ownerToken, Guid? accountId = null) =>
        _service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), siteId, "kite-1234", "Kite", "octo", "kite", "app", "AppTemplate", Guid.NewGuid(),
            ServiceDefaults.Access.Credentials.Hash(ownerToken), "template", false, 10, DateTimeOffset.UtcNow, accountId));

    private async Task<HttpResponseMessage> ListLeads(Guid siteId, string? token, Guid? account = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/leads?siteId={siteId}&page=1").As("leads", account, token);
        return await _client.SendAsync(request);
    }

    private static async Task<string[]> EmailsIn(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(lead => lead.GetProperty("email").GetString()!).ToArray();

    [Fact]
    public async Task Lead_emails_show_only_to_the_account_of_the_verified_maintainers()
    {
        var siteId = Guid.NewGuid();
        var (maker, stranger, maintainer) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        const string token = "token-of-the-site-maker";
        await AnnounceSiteAsync(siteId, token, maker);
        await Capture(SeedPayload("ada@engines.io", siteId.ToString()));
        var bus = _service.Services.GetRequiredService<IBus>();

        // Unverified: its own account sees scores and masked emails.
        var unverified = await Eventually.ReturnsAsync(() => ListLeads(siteId, null, maker), response => response.StatusCode == HttpStatusCode.OK);
        Assert.Equal(["a***@engines.io"], await EmailsIn(unverified));
        Assert.Equal(HttpStatusCode.Forbidden, (await ListLeads(siteId, null, stranger)).StatusCode);

        // Verified by its account's maintainers: emails.
        await bus.Publish(new SiteOwnerChanged(siteId, maker, Verified: true, ServiceDefaults.Access.Credentials.Hash(token), DateTimeOffset.UtcNow));
        var verified = await Eventually.ReturnsAsync(async () => await EmailsIn(await ListLeads(siteId, null, maker)), emails => emails is ["ada@engines.io"]);
        Assert.Equal(["ada@engines.io"], verified);
        Assert.Equal(["a***@engines.io"], await EmailsIn(await ListLeads(siteId, token)));

        // Taken over by another maintainer: the maker's token and account lose access; an older change arriving late changes nothing.
        await bus.Publish(new SiteOwnerChanged(siteId, maintainer, Verified: true, null, DateTimeOffset.UtcNow.AddSeconds(1)));
        await bus.Publish(new SiteOwnerChanged(siteId, maker, Verified: true, ServiceDefaults.Access.Credentials.Hash(token), DateTimeOffset.UtcNow.AddSeconds(-60)));
        var takenOver = await Eventually.ReturnsAsync(() => ListLeads(siteId, null, maintainer), response => response.StatusCode == HttpStatusCode.OK);
        Assert.Equal(["ada@engines.io"], await EmailsIn(takenOver));
        Assert.Equal(HttpStatusCode.Forbidden, (await ListLeads(siteId, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ListLeads(siteId, null, maker)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ListLeads(siteId, null)).StatusCode);
    }

    [Fact]
    public async Task A_forged_or_misaddressed_account_token_carries_no_account()
    {
        var siteId = Guid.NewGuid();
        var owner = Guid.NewGuid();
        await AnnounceSiteAsync(siteId, "token-of-a-signed-in-maker", owner);
        await Eventually.ReturnsAsync(() => ListLeads(siteId, null, owner), response => response.StatusCode == HttpStatusCode.OK);

        var forged = new IdentityOptions { SigningKey = "not-the-gateways-key-0123456789abcdef" };
        var tokens = new[]
        {
            AccountTokens.Issue(forged, "leads", [new Claim(AccountTokens.AccountIdClaim, owner.ToString())], DateTime.UtcNow),
            TestAccounts.Token("viral", owner),
        };
        foreach (var token in tokens)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/leads?siteId={siteId}");
            request.Headers.Add(AccountTokens.Header, token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Operators_export_and_erase_a_person_everywhere()
    {
        await Capture(SeedPayload("=cmd@example.com"));
        await Capture(SeedPayload("gdpr@example.com", Guid.NewGuid().ToString()));
        await Capture(SeedPayload("GDPR@example.com", Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Operator(HttpMethod.Get, "/api/leads/export?email=gdpr@example.com", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Operator(HttpMethod.Get, "/api/leads/export?email=nobody@example.com", key: "wrong")).StatusCode);

        var json = await (await Operator(HttpMethod.Get, "/api/leads/export?email=gdpr@example.com")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, json.GetArrayLength());

        var csv = await (await Operator(HttpMethod.Get, "/api/leads/export?email=%3Dcmd@example.com&format=csv")).Content.ReadAsStringAsync();
        Assert.StartsWith("leadId,siteId,email,", csv);
        Assert.Contains(",'=cmd@example.com,", csv);

        using var erase = await Operator(HttpMethod.Delete, "/api/leads?email=gdpr@example.com");
        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        var after = await (await Operator(HttpMethod.Get, "/api/leads/export?email=gdpr@example.com")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, after.GetArrayLength());
        await using var connection = Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.LeadErased%'"));
        // Erasing someone unknown answers the same: nothing tells whether the address was held.
        Assert.Equal(HttpStatusCode.NoContent, (await Operator(HttpMethod.Delete, "/api/leads?email=never@example.com")).StatusCode);
    }

    private async Task<HttpResponseMessage> Operator(HttpMethod method, string url, string? key = OperatorKey)
    {
        using var request = new HttpRequestMessage(method, url);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await _client.SendAsync(request);
    }
}
