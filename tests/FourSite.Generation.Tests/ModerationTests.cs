using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Leads;
using FourSite.Generation.Moderation;
using FourSite.Generation.Pipeline;
using FourSite.ServiceDefaults.Identity;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// Trust and safety in Generation: reports enter the queue once per site and network and a network files only a few an
/// hour; operators (and nobody else) suspend, reinstate and remove sites, every action audited; blocks refuse new
/// generations with their code; an account's daily quota answers 429 with Retry-After.
/// </summary>
public sealed class ModerationTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "moderation-operator-key";
    private const int ReportsPerHour = 4;
    private const int SitesPerAccount = 2;
    private const int SitesPerNetwork = 3;
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers, settings: new Dictionary<string, string?>(TestAccounts.Settings)
    {
        ["FourSite:Operator:ApiKey"] = OperatorKey,
        ["FourSite:Abuse:ReportsPerNetworkPerHour"] = ReportsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FourSite:Abuse:SitesPerAccountPerDay"] = SitesPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FourSite:Abuse:SitesPerNetworkPerDay"] = SitesPerNetwork.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FourSite:Abuse:SiteBurstPerNetworkPerHour"] = "2",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client => _host.Client;

    private async Task<(Guid SiteId, string Slug, string OwnerToken)> GenerateAsync(string owner, string name)
    {
        _host.GitHub.AddRepository(owner, name);
        using var response = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/{owner}/{name}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!, body.GetProperty("ownerToken").GetString()!);
    }

    private async Task<HttpResponseMessage> OperatorAsync(HttpMethod method, string path, object? body = null, string? key = OperatorKey)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await Client.SendAsync(request);
    }

    private async Task<JsonElement> ActionsAsync()
    {
        using var response = await OperatorAsync(HttpMethod.Get, "/api/moderation/actions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task A_report_enters_the_queue_once_per_site_and_network_and_a_network_files_only_a_few_an_hour()
    {
        var first = await GenerateAsync("octo", "reported-one");
        var second = await GenerateAsync("octo", "reported-two");

        using (var report = await Client.PostAsJsonAsync($"/api/sites/{first.SiteId}/reports", new { reason = "phishing", details = "Asks for my GitHub password", contact = "visitor@example.com" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        }

        using (var again = await Client.PostAsJsonAsync($"/api/sites/{first.SiteId}/reports", new { reason = "spam" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        using (var other = await Client.PostAsJsonAsync($"/api/sites/{second.SiteId}/reports", new { reason = "impersonation" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        }

        using var queue = await OperatorAsync(HttpMethod.Get, "/api/moderation/reports?state=open");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        var sites = (await queue.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        var reported = sites.Single(site => site.GetProperty("siteId").GetGuid() == first.SiteId);
        Assert.Equal(1, reported.GetProperty("reports").GetInt32());
        var item = reported.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("phishing", item.GetProperty("reason").GetString());
        Assert.Equal("visitor@example.com", item.GetProperty("contact").GetString());
        Assert.Equal("octo/reported-one", reported.GetProperty("repository").GetString());
        Assert.Contains(sites, site => site.GetProperty("siteId").GetGuid() == second.SiteId);

        // The network has filed 2 of its 4 an hour (the repeat was not filed): 2 more are taken, the next is refused.
        for (var n = 0; n < ReportsPerHour - 2; n++)
        {
            var site = await GenerateAsync("octo", $"reported-more-{n}");
            using var more = await Client.PostAsJsonAsync($"/api/sites/{site.SiteId}/reports", new { reason = "other" });
            Assert.Equal(HttpStatusCode.Accepted, more.StatusCode);
        }

        var last = await GenerateAsync("octo", "reported-too-many");
        using var refused = await Client.PostAsJsonAsync($"/api/sites/{last.SiteId}/reports", new { reason = "spam" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("too_many_reports", await CodeOf(refused));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        // The reporter asks to be forgotten (as they typed it elsewhere): the report stays, their address goes.
        var person = EmailIdentity.PersonHash(EmailIdentity.Normalise(" Visitor@Example.com"));
        await _host.Service.Services.GetRequiredService<IBus>().Publish(new LeadErased(person, 0, DateTimeOffset.UtcNow));
        await using var connection = new NpgsqlConnection(_host.Service.DatabaseConnectionString);
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM site_reports WHERE contact IS NOT NULL OR contact_hash IS NOT NULL"), count => count == 0);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM site_reports WHERE site_id = @SiteId AND reason = 'phishing'", new { first.SiteId }));
    }

    [Fact]
    public async Task A_bad_report_is_a_400_and_a_report_of_no_site_a_404()
    {
        var site = await GenerateAsync("octo", "badly-reported");
        using var noReason = await Client.PostAsJsonAsync($"/api/sites/{site.SiteId}/reports", new { reason = "boring" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var badContact = await Client.PostAsJsonAsync($"/api/sites/{site.SiteId}/reports", new { reason = "spam", contact = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, badContact.StatusCode);
        using var tooLong = await Client.PostAsJsonAsync($"/api/sites/{site.SiteId}/reports", new { reason = "spam", details = new string('x', 2001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var control = await Client.PostAsJsonAsync($"/api/sites/{site.SiteId}/reports", new { reason = "spam", details = "nul \u0000 byte" });
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        using var controlReason = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/restore", new { reason = "nul \u0000 byte" });
        Assert.Equal(HttpStatusCode.BadRequest, controlReason.StatusCode);
        using var unknown = await Client.PostAsJsonAsync($"/api/sites/{Guid.NewGuid()}/reports", new { reason = "spam" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-the-key", HttpStatusCode.Forbidden)]
    public async Task Nobody_but_an_operator_reads_the_queue_or_acts_on_a_site(string? key, HttpStatusCode expected)
    {
        var site = await GenerateAsync("octo", $"not-an-operator-{expected}");

        using var queue = await OperatorAsync(HttpMethod.Get, "/api/moderation/reports", key: key);
        using var suspend = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/suspend", new { kind = "abuse", reason = "x" }, key);
        using var restore = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/restore", new { reason = "x" }, key);
        using var remove = await OperatorAsync(HttpMethod.Delete, $"/api/moderation/sites/{site.SiteId}?reason=x", key: key);
        using var block = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "owner", value = "octo", reason = "x" }, key);
        using var actions = await OperatorAsync(HttpMethod.Get, "/api/moderation/actions", key: key);

        Assert.All(new[] { queue, suspend, restore, remove, block, actions }, response => Assert.Equal(expected, response.StatusCode));
        // Not even the site's own owner token suspends it.
        using var asOwner = new HttpRequestMessage(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/suspend") { Content = JsonContent.Create(new { kind = "abuse", reason = "x" }) }
            .As("generation", null, site.OwnerToken);
        using var ownerAnswer = await Client.SendAsync(asOwner);
        Assert.Equal(HttpStatusCode.Unauthorized, ownerAnswer.StatusCode);
        using var page = await Client.GetAsync($"/s/{site.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_suspended_site_answers_410_for_abuse_451_for_legal_is_gone_from_the_api_and_comes_back_when_restored()
    {
        var site = await GenerateAsync("octo", "to-suspend");

        using var suspended = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/suspend", new { kind = "abuse", reason = "Phishing for GitHub passwords" });
        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);

        using (var page = await Client.GetAsync($"/s/{site.Slug}"))
        {
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("taken down", html, StringComparison.Ordinal);
            Assert.DoesNotContain("to-suspend", html, StringComparison.Ordinal);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        }

        using (var api = await Client.GetAsync($"/api/sites/{site.SiteId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        }

        // Its owner still sees it, and why.
        using (var asOwner = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{site.SiteId}").As("generation", null, site.OwnerToken)))
        {
            Assert.Equal(HttpStatusCode.OK, asOwner.StatusCode);
            var suspension = (await asOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suspension");
            Assert.Equal("abuse", suspension.GetProperty("kind").GetString());
            Assert.Equal("Phishing for GitHub passwords", suspension.GetProperty("reason").GetString());
        }

        await using (var connection = new NpgsqlConnection(_host.Service.DatabaseConnectionString))
        {
            var announced = await connection.QuerySingleAsync<string>(
                "SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Generation.SiteSuspended%' AND body::text LIKE '%' || @site || '%'",
                new { site = site.SiteId.ToString() });
            Assert.Contains("\"abuse\"", announced, StringComparison.Ordinal);
        }

        using var legal = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/suspend", new { kind = "legal", reason = "Court order 42" });
        Assert.Equal(HttpStatusCode.OK, legal.StatusCode);
        using (var page = await Client.GetAsync($"/s/{site.Slug}"))
        {
            Assert.Equal(HttpStatusCode.UnavailableForLegalReasons, page.StatusCode);
        }

        using var restored = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/restore", new { reason = "Owner removed the form" });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        using (var page = await Client.GetAsync($"/s/{site.Slug}"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using (var api = await Client.GetAsync($"/api/sites/{site.SiteId}"))
        {
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
            Assert.False((await api.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("suspension", out _));
        }

        var log = (await ActionsAsync()).EnumerateArray().Where(action => action.GetProperty("siteId").ValueKind != JsonValueKind.Null
            && action.GetProperty("siteId").GetGuid() == site.SiteId).ToList();
        Assert.Equal(["restore", "suspend", "suspend"], log.Select(action => action.GetProperty("action").GetString()));
        Assert.Equal("Owner removed the form", log[0].GetProperty("reason").GetString());
        Assert.Equal("Court order 42", log[1].GetProperty("reason").GetString());
        Assert.All(log, action => Assert.Equal("operator key", action.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task An_operator_removes_a_site_for_good_with_a_reason_kept_in_the_log()
    {
        var site = await GenerateAsync("octo", "to-remove");
        using var noReason = await OperatorAsync(HttpMethod.Delete, $"/api/moderation/sites/{site.SiteId}");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);

        using var removed = await OperatorAsync(HttpMethod.Delete, $"/api/moderation/sites/{site.SiteId}?reason=Malware%20download");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        using var page = await Client.GetAsync($"/s/{site.Slug}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var again = await OperatorAsync(HttpMethod.Delete, $"/api/moderation/sites/{site.SiteId}?reason=again");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var action = (await ActionsAsync()).EnumerateArray().First(entry => entry.GetProperty("action").GetString() == "remove"
            && entry.GetProperty("siteId").GetGuid() == site.SiteId);
        Assert.Equal("Malware download", action.GetProperty("reason").GetString());
        Assert.Equal(site.Slug, action.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_suspension_needs_a_kind_and_a_reason_and_a_site()
    {
        var site = await GenerateAsync("octo", "suspension-checks");
        using var noKind = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/suspend", new { kind = "ban", reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, noKind.StatusCode);
        using var noReason = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{site.SiteId}/suspend", new { kind = "abuse", reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var noSite = await OperatorAsync(HttpMethod.Post, $"/api/moderation/sites/{Guid.NewGuid()}/suspend", new { kind = "abuse", reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, noSite.StatusCode);
    }

    [Fact]
    public async Task A_blocked_repository_or_owner_is_refused_with_its_code_and_a_block_can_suspend_what_it_covers()
    {
        var existing = await GenerateAsync("shady-org", "login-page");

        using var blocked = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "owner", value = "Shady-Org", reason = "Phishing kits", suspendExisting = true });
        Assert.Equal(HttpStatusCode.Created, blocked.StatusCode);
        var block = await blocked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("shady-org", block.GetProperty("value").GetString());
        Assert.Equal(1, block.GetProperty("suspended").GetInt32());
        using (var page = await Client.GetAsync($"/s/{existing.Slug}"))
        {
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        }

        _host.GitHub.AddRepository("shady-org", "another");
        using (var refused = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/SHADY-ORG/another" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("blocked", await CodeOf(refused));
        }

        using var repository = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "repository", value = "octo/fake-wallet", reason = "Scam" });
        Assert.Equal(HttpStatusCode.Created, repository.StatusCode);
        _host.GitHub.AddRepository("octo", "fake-wallet");
        using (var refused = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/fake-wallet" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("blocked", await CodeOf(refused));
        }

        // The same owner's other repositories are fine.
        await GenerateAsync("octo", "real-wallet");

        using var list = await OperatorAsync(HttpMethod.Get, "/api/moderation/blocks");
        var blocks = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Contains(blocks, entry => entry.GetProperty("value").GetString() == "octo/fake-wallet");

        using var lifted = await OperatorAsync(HttpMethod.Delete, $"/api/moderation/blocks/{block.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        await GenerateAsync("shady-org", "another");
        var log = (await ActionsAsync()).EnumerateArray().Select(action => (action.GetProperty("action").GetString(), action.GetProperty("subject").GetString())).ToList();
        Assert.Contains(("block", "owner shady-org"), log);
        Assert.Contains(("unblock", "owner shady-org"), log);
    }

    [Fact]
    public async Task A_block_names_a_repository_owner_or_account_properly()
    {
        using var badKind = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "planet", value = "earth", reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        using var badRepository = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "repository", value = "octo/a/b", reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badRepository.StatusCode);
        using var badLogin = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "account", value = "<script>", reason = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badLogin.StatusCode);
        using var unknown = await OperatorAsync(HttpMethod.Delete, $"/api/moderation/blocks/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_blocked_account_is_refused_and_an_account_past_its_daily_quota_gets_429_with_retry_after()
    {
        var blockedAccount = await SignInAsync(7101, "spammer-account");
        using var block = await OperatorAsync(HttpMethod.Post, "/api/moderation/blocks", new { kind = "account", value = "Spammer-Account", reason = "Bulk spam" });
        Assert.Equal(HttpStatusCode.Created, block.StatusCode);
        _host.GitHub.AddRepository("octo", "from-blocked-account");
        using (var refused = await GenerateAsAsync(blockedAccount, "from-blocked-account"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("blocked", await CodeOf(refused));
        }

        var busy = await SignInAsync(7102, "busy-account");
        for (var n = 0; n < SitesPerAccount; n++)
        {
            _host.GitHub.AddRepository("octo", $"busy-{n}");
            using var accepted = await GenerateAsAsync(busy, $"busy-{n}");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        _host.GitHub.AddRepository("octo", "busy-over");
        using var over = await GenerateAsAsync(busy, "busy-over");
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("quota_exceeded", await CodeOf(over));
        Assert.InRange(over.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        // Anonymous generations are not this account's.
        await GenerateAsync("octo", "busy-anonymous");
    }

    [Fact]
    public async Task A_network_past_its_daily_quota_is_refused_until_its_oldest_generation_is_a_day_old_and_regenerations_do_not_count()
    {
        var admission = _host.Service.Services.GetRequiredService<GenerationAdmission>();
        const string network = "198.51.100.0/24";
        static GenerationJob Job(string name, Guid? regenerates = null) => new(Guid.CreateVersion7(), $"https://github.com/octo/{name}", "octo", name, Guid.NewGuid(), "hash",
            "queued", "queued", 0, null, null, null, DateTime.UtcNow, RegeneratesSiteId: regenerates);

        for (var n = 0; n < SitesPerNetwork; n++)
        {
            Assert.True((await admission.AdmitAsync(Job($"network-{n}"), network, CancellationToken.None)).IsAdmitted);
        }

        var refused = await admission.AdmitAsync(Job("network-over"), network, CancellationToken.None);
        Assert.False(refused.IsAdmitted);
        Assert.Equal("network", refused.Quota);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        // Another network is not this one's business.
        Assert.True((await admission.AdmitAsync(Job("other-network"), "203.0.113.0/24", CancellationToken.None)).IsAdmitted);

        // A day later the oldest leaves the window and frees a place.
        await using var connection = new NpgsqlConnection(_host.Service.DatabaseConnectionString);
        await connection.ExecuteAsync("""
            UPDATE generation_jobs SET created_at = now() - interval '25 hours'
            WHERE id = (SELECT id FROM generation_jobs WHERE network = @network ORDER BY created_at LIMIT 1)
            """, new { network });
        Assert.True((await admission.AdmitAsync(Job("network-next-day"), network, CancellationToken.None)).IsAdmitted);
        Assert.False((await admission.AdmitAsync(Job("network-over-again"), network, CancellationToken.None)).IsAdmitted);
    }

    [Fact]
    public async Task A_burst_of_sites_from_one_network_puts_the_next_ones_in_the_queue_without_suspending_them()
    {
        var admission = _host.Service.Services.GetRequiredService<GenerationAdmission>();
        const string network = "100.64.7.0/24";
        var jobs = new List<Guid>();
        for (var n = 0; n < 3; n++)
        {
            _host.GitHub.AddRepository("bursty", $"site-{n}");
            var job = new GenerationJob(Guid.CreateVersion7(), $"https://github.com/bursty/site-{n}", "bursty", $"site-{n}", Guid.NewGuid(), "hash",
                "queued", "queued", 0, null, null, null, DateTime.UtcNow);
            Assert.True((await admission.AdmitAsync(job, network, CancellationToken.None)).IsAdmitted);
            jobs.Add(job.Id);
        }

        await using var connection = new NpgsqlConnection(_host.Service.DatabaseConnectionString);
        var sites = await Eventually.ReturnsAsync(
            async () => (await connection.QueryAsync<Guid>("SELECT site_id FROM generation_jobs WHERE id = ANY(@jobs) AND site_id IS NOT NULL ORDER BY created_at", new { jobs = jobs.ToArray() })).ToList(),
            found => found.Count == 3, TimeSpan.FromMinutes(1));

        using var queue = await OperatorAsync(HttpMethod.Get, "/api/moderation/reports");
        var queued = (await queue.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(site => site.GetProperty("siteId").GetGuid()).ToList();
        Assert.DoesNotContain(sites[0], queued);
        Assert.DoesNotContain(sites[1], queued);
        Assert.Contains(sites[2], queued);
        var slug = await connection.ExecuteScalarAsync<string>("SELECT slug FROM websites WHERE id = @site", new { site = sites[2] });
        using var page = await Client.GetAsync($"/s/{slug}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task The_terms_a_person_accepted_are_recorded_with_their_generation_and_a_malformed_version_is_refused()
    {
        _host.GitHub.AddRepository("octo", "accepted-terms");
        using var accepted = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/accepted-terms", termsVersion = "2026-12-06" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        await using var connection = new NpgsqlConnection(_host.Service.DatabaseConnectionString);
        var recorded = await connection.QuerySingleAsync<(string Version, DateTime At)>(
            "SELECT terms_version, terms_accepted_at FROM generation_jobs WHERE id = @jobId", new { jobId });
        Assert.Equal("2026-12-06", recorded.Version);
        Assert.InRange(recorded.At, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));

        using var malformed = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/accepted-terms", termsVersion = "<script>" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    private async Task<Guid> SignInAsync(long gitHubId, string login)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/sign-in");
        request.Headers.Add(AccountTokens.Header, TestAccounts.SignInToken(gitHubId, login));
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetGuid();
    }

    private Task<HttpResponseMessage> GenerateAsAsync(Guid account, string name) =>
        Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = $"https://github.com/octo/{name}" }) }
            .As("generation", account));
}
