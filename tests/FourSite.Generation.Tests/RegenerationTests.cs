using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using FourSite.ServiceDefaults.Identity;
using FourSite.Testing;
using Npgsql;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// Sites that follow their repository: a signed GitHub release regenerates its verified sites in place, owners
/// regenerate on demand (within limits) and restore the previous version; nobody else may.
/// </summary>
public sealed class RegenerationTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string WebhookSecret = "github-webhook-secret-for-tests";
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers, settings: new Dictionary<string, string?>(TestAccounts.Settings)
    {
        ["FourSite:GitHub:WebhookSecret"] = WebhookSecret,
        ["FourSite:Regeneration:PerSitePerHour"] = "2",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client => _host.Client;

    private NpgsqlConnection Database() => new(_host.Service.DatabaseConnectionString);

    private async Task<Guid> SignInAsync(long gitHubId, string login)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/sign-in");
        request.Headers.Add(AccountTokens.Header, TestAccounts.SignInToken(gitHubId, login));
        using var response = await Client.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetGuid();
    }

    private async Task<(Guid SiteId, string Slug, string OwnerToken)> GenerateAsync(string owner, string name, Guid? account = null)
    {
        _host.GitHub.AddRepository(owner, name, description: "The first version", readme: "# Kite\n\nThe first version of Kite.\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = $"https://github.com/{owner}/{name}" }) }
            .As("generation", account);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!, body.GetProperty("ownerToken").GetString()!);
    }

    private async Task VerifyAsync(Guid siteId, Guid account, string repository)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/verify");
        request.Headers.Add(AccountTokens.Header, TestAccounts.MaintainerToken(account, repository, "admin"));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(request)).StatusCode);
    }

    private Task<HttpResponseMessage> DeliverAsync(string gitHubEvent, string delivery, object payload, string? secret = WebhookSecret)
    {
        var body = JsonSerializer.Serialize(payload);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        }

        return Client.SendAsync(request);
    }

    private static object Release(string owner, string name, string tag, string action = "published") => new
    {
        action,
        release = new { tag_name = tag, name = $"Release {tag}", draft = false, prerelease = false, body = $"## {tag}\n- Flies higher", html_url = $"https://github.com/{owner}/{name}/releases/tag/{tag}" },
        repository = new { name, full_name = $"{owner}/{name}", owner = new { login = owner } },
    };

    private async Task<string> PageAsync(string slug) => await (await Client.GetAsync($"/s/{slug}")).Content.ReadAsStringAsync();

    private async Task<string> EventuallyPageContainsAsync(string slug, string text) =>
        await Eventually.ReturnsAsync(() => PageAsync(slug), page => page.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_signed_release_regenerates_the_verified_sites_of_its_repository_in_place_once()
    {
        var maintainer = await SignInAsync(8101, "kite-maintainer");
        var (verified, slug, _) = await GenerateAsync("kiteorg", "kite", maintainer);
        await VerifyAsync(verified, maintainer, "kiteorg/kite");
        var (unverified, otherSlug, _) = await GenerateAsync("kiteorg", "kite");
        var (elsewhere, elsewhereSlug, _) = await GenerateAsync("kiteorg", "other");
        await VerifyAsync(elsewhere, maintainer, "kiteorg/other");
        Assert.Contains("The first version", await PageAsync(slug));

        _host.GitHub.AddRepository("kiteorg", "kite", description: "Kite two flies higher", readme: "# Kite\n\nKite two flies higher.\n", version: "v2");
        using var ping = await DeliverAsync("ping", Guid.NewGuid().ToString(), new { zen = "Keep it logically awesome." });
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);

        var delivery = Guid.NewGuid().ToString();
        using var accepted = await DeliverAsync("release", delivery, Release("KiteOrg", "Kite", "v2.0.0"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(1, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("regenerating").GetInt32());

        // Same address, same id, new content; the unverified copy and the other repository's site are untouched.
        var page = await EventuallyPageContainsAsync(slug, "Kite two flies higher");
        Assert.Contains("Kite two flies higher", page);
        Assert.Contains(verified.ToString(), page);
        Assert.Contains("The first version", await PageAsync(otherSlug));
        Assert.Contains("The first version", await PageAsync(elsewhereSlug));
        await using var connection = Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Generation.SiteRegenerated,%' AND body->>'siteId' = @site",
            new { site = verified.ToString() }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM generation_jobs WHERE regenerates_site_id = @unverified", new { unverified }));
        // The verified site's subscribers may hear of it: the release, its notes and its page go to Leads.
        var released = await connection.QuerySingleAsync<(string Tag, string Notes, string Url)>(
            "SELECT body->>'tag', body->>'notes', body->>'url' FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Generation.ReleasePublished,%' AND body->>'siteId' = @site",
            new { site = verified.ToString() });
        Assert.Equal(("v2.0.0", "## v2.0.0\n- Flies higher", "https://github.com/KiteOrg/Kite/releases/tag/v2.0.0"), released);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Generation.ReleasePublished,%' AND body->>'siteId' = @site", new { site = unverified.ToString() }));

        // GitHub redelivers: nothing happens twice. Other actions and events are acknowledged and ignored.
        using var again = await DeliverAsync("release", delivery, Release("KiteOrg", "Kite", "v2.0.0"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync("release", Guid.NewGuid().ToString(), Release("kiteorg", "kite", "v2.0.1", action: "created"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync("push", Guid.NewGuid().ToString(), new { @ref = "refs/heads/main" })).StatusCode);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM generation_jobs WHERE regenerates_site_id = @verified", new { verified }));
    }

    [Fact]
    public async Task Unsigned_or_wrongly_signed_deliveries_are_refused()
    {
        var payload = Release("kiteorg", "kite", "v9.9.9");
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync("release", Guid.NewGuid().ToString(), payload, secret: null)).StatusCode);
        using var forged = await DeliverAsync("release", Guid.NewGuid().ToString(), payload, secret: "not-the-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);

        using var tampered = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StringContent("{\"action\":\"published\"}", Encoding.UTF8, "application/json") };
        tampered.Headers.Add("X-GitHub-Event", "release");
        tampered.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        tampered.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(tampered)).StatusCode);

        using var garbage = await DeliverAsync("release", Guid.NewGuid().ToString(), "not an object");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task The_owner_regenerates_on_demand_within_limits_and_restores_the_previous_version()
    {
        var (siteId, slug, token) = await GenerateAsync("kiteorg", "demand");
        _host.GitHub.AddRepository("kiteorg", "demand", description: "Demand two is out", readme: "# Demand\n\nDemand two is out.\n", version: "v2");

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/regenerate").As("generation", null, token))
        {
            using var accepted = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
            var job = await Eventually.ReturnsAsync(async () => await Client.GetFromJsonAsync<JsonElement>($"/api/generate/{jobId}"),
                status => status.GetProperty("status").GetString() == "completed");
            Assert.Equal(siteId, job.GetProperty("siteId").GetGuid());
        }

        Assert.Contains("Demand two is out", await PageAsync(slug));

        using (var restore = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/restore").As("generation", null, token))
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(restore)).StatusCode);
        }

        Assert.Contains("The first version", await PageAsync(slug));
        Assert.DoesNotContain("Demand two is out", await PageAsync(slug));

        // Two an hour here: the second is accepted, the third is told when to come back.
        using (var second = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/regenerate").As("generation", null, token))
        {
            using var accepted = await Client.SendAsync(second);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
            await Eventually.ReturnsAsync(async () => await Client.GetFromJsonAsync<JsonElement>($"/api/generate/{jobId}"), status => status.GetProperty("status").GetString() == "completed");
        }

        using var third = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/regenerate").As("generation", null, token);
        using var limited = await Client.SendAsync(third);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) > 0);
    }

    [Fact]
    public async Task Nobody_else_regenerates_or_restores_a_site()
    {
        var (siteId, _, token) = await GenerateAsync("kiteorg", "guarded");
        var stranger = await SignInAsync(8102, "stranger");
        foreach (var action in new[] { "regenerate", "restore" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsync($"/api/sites/{siteId}/{action}", null)).StatusCode);
            using var wrongToken = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/{action}").As("generation", null, "not-the-token");
            Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync(wrongToken)).StatusCode);
            using var wrongAccount = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/{action}").As("generation", stranger);
            Assert.Equal(HttpStatusCode.Forbidden, (await Client.SendAsync(wrongAccount)).StatusCode);
        }

        using var nothing = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/restore").As("generation", null, token);
        using var refused = await Client.SendAsync(nothing);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("nothing_to_restore", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await using var connection = Database();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM generation_jobs WHERE regenerates_site_id = @siteId", new { siteId }));
    }

    private const string FirstReadme = """
        # Circle Kit

        ![Circle Kit drawing circles](https://example.com/circle-kit/hero-one.png)

        The first version of this project draws simple circles on a canvas.

        ## Features

        - Draws circles
        - Fills them with one colour

        ## Installation

        ```bash
        npm install circle-kit
        ```

        ## Usage

        ```js
        circle(10);
        ```

        Documentation: [the docs](https://docs.example.com/circle-kit/v1)
        """;

    private const string SecondReadme = """
        # Shape Studio

        ![Shape Studio editing shapes](https://example.com/shape-studio/hero-two.png)

        Shape Studio edits every shape you can name, in the browser and on the server.

        ## Features

        - Edits polygons and curves
        - Exports SVG and PNG
        - Works offline

        ## Installation

        ```bash
        npm install shape-studio
        ```

        ## Usage

        ```js
        studio.open("drawing.svg");
        ```

        Documentation: [the docs](https://docs.example.com/shape-studio/v2)
        """;

    private void PublishFirstVersion(string owner, string name) => _host.GitHub.AddRepository(owner, name,
        description: "Draws circles", readme: FirstReadme, homepage: "https://circle-kit.example", stars: 42);

    // The same metadata ETag ("v1"): the README, stars and homepage change under it, as they may on GitHub.
    private void PublishSecondVersion(string owner, string name) => _host.GitHub.AddRepository(owner, name,
        description: "Edits shapes", readme: SecondReadme, homepage: "https://shape-studio.example", stars: 4242);

    private async Task<JsonElement> SiteDataAsync(Guid siteId) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/sites/{siteId}")).GetProperty("siteData");

    private static void AssertFollowsSecondVersion(JsonElement data)
    {
        Assert.Equal("Shape Studio", data.GetProperty("title").GetString());
        Assert.Contains("edits every shape you can name", data.GetProperty("description").GetString());
        Assert.DoesNotContain("circles", data.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var features = data.GetProperty("features").EnumerateArray().Select(feature => feature.GetString()).ToList();
        Assert.Contains(features, feature => feature!.Contains("polygons", StringComparison.Ordinal));
        Assert.Contains(features, feature => feature!.Contains("offline", StringComparison.Ordinal));
        Assert.Equal("npm install shape-studio", data.GetProperty("installCommand").GetString());
        Assert.Contains("studio.open", data.GetProperty("quickStart").GetProperty("code").GetString());
        Assert.Equal("https://example.com/shape-studio/hero-two.png", data.GetProperty("heroImage").GetProperty("url").GetString());
        Assert.Equal("https://shape-studio.example/", data.GetProperty("links").GetProperty("homepage").GetString());
        Assert.Equal("https://docs.example.com/shape-studio/v2", data.GetProperty("links").GetProperty("docs").GetString());
        Assert.Equal(4242, data.GetProperty("repo").GetProperty("stars").GetInt32());
    }

    private async Task RegenerateAsOwnerAsync(Guid siteId, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/regenerate").As("generation", null, token);
        using var accepted = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        await Eventually.ReturnsAsync(async () => await Client.GetFromJsonAsync<JsonElement>($"/api/generate/{jobId}"),
            status => status.GetProperty("status").GetString() == "completed");
    }

    private async Task<(Guid SiteId, string Slug, string OwnerToken)> GenerateFirstVersionAsync(string owner, string name, Guid? account = null)
    {
        PublishFirstVersion(owner, name);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = $"https://github.com/{owner}/{name}" }) }
            .As("generation", account);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var siteId = body.GetProperty("siteId").GetGuid();
        var data = await SiteDataAsync(siteId);
        Assert.Equal("Circle Kit", data.GetProperty("title").GetString());
        Assert.Contains("draws simple circles", data.GetProperty("description").GetString());
        Assert.Equal("npm install circle-kit", data.GetProperty("installCommand").GetString());
        return (siteId, body.GetProperty("slug").GetString()!, body.GetProperty("ownerToken").GetString()!);
    }

    [Fact]
    public async Task An_owner_regeneration_follows_every_fact_of_the_readme_as_it_is_now()
    {
        var (siteId, slug, token) = await GenerateFirstVersionAsync("shapeorg", "owned");

        PublishSecondVersion("shapeorg", "owned");
        await RegenerateAsOwnerAsync(siteId, token);

        AssertFollowsSecondVersion(await SiteDataAsync(siteId));
        var page = await PageAsync(slug);
        Assert.Contains("Shape Studio edits every shape", page);
        Assert.DoesNotContain("draws simple circles", page);
    }

    [Fact]
    public async Task A_release_regeneration_follows_every_fact_of_the_readme_as_it_is_now()
    {
        var maintainer = await SignInAsync(8103, "shape-maintainer");
        var (siteId, _, _) = await GenerateFirstVersionAsync("shapeorg", "released", maintainer);
        await VerifyAsync(siteId, maintainer, "shapeorg/released");

        PublishSecondVersion("shapeorg", "released");
        using var accepted = await DeliverAsync("release", Guid.NewGuid().ToString(), Release("shapeorg", "released", "v2.0.0"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var data = await Eventually.ReturnsAsync(() => SiteDataAsync(siteId), site => site.GetProperty("title").GetString() == "Shape Studio");
        AssertFollowsSecondVersion(data);
    }

    [Fact]
    public async Task An_unchanged_readme_regenerates_to_the_same_content()
    {
        var (siteId, _, token) = await GenerateFirstVersionAsync("shapeorg", "steady");
        var before = (await SiteDataAsync(siteId)).GetRawText();

        await RegenerateAsOwnerAsync(siteId, token);

        Assert.Equal(before, (await SiteDataAsync(siteId)).GetRawText());
        await using var connection = Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM generation_jobs WHERE regenerates_site_id = @siteId AND status = 'completed'", new { siteId }));
    }
}
