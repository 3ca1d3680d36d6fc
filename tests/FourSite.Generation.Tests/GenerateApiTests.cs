using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Generation.Pipeline;
using FourSite.StandIns;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>The generation contract end to end, against real PostgreSQL, Redis and RabbitMQ, with GitHub faked.</summary>
public sealed class GenerateApiTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Generates_a_site_and_serves_it()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "rocket", description: "Launch things fast", topics: ["cli"]);

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/rocket" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("template", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("fallbackUsed").GetBoolean());
        Assert.True(body.GetProperty("generationTime").GetDouble() >= 0);
        var slug = body.GetProperty("slug").GetString()!;
        Assert.StartsWith("rocket-", slug);
        Assert.Equal($"/s/{slug}", body.GetProperty("siteUrl").GetString());
        var siteData = body.GetProperty("siteData");
        Assert.Equal("Launch things fast", siteData.GetProperty("tagline").GetString());
        Assert.Equal("app", siteData.GetProperty("projectType").GetString());
        Assert.Equal("AppTemplate", siteData.GetProperty("template").GetString());
        Assert.Equal(["Fast", "Small", "Friendly"], siteData.GetProperty("features").EnumerateArray().Select(feature => feature.GetString()));
        Assert.Equal("octo", siteData.GetProperty("repo").GetProperty("owner").GetString());
        Assert.Equal(42, siteData.GetProperty("repo").GetProperty("stars").GetInt32());
        Assert.NotEqual(Guid.Empty, body.GetProperty("ownerId").GetGuid());
        var ownerToken = body.GetProperty("ownerToken").GetString()!;
        Assert.True(ownerToken.Length >= 40);

        var jobId = body.GetProperty("jobId").GetGuid();
        var job = await host.Client.GetFromJsonAsync<JsonElement>($"/api/generate/{jobId}");
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(100, job.GetProperty("progress").GetInt32());
        Assert.Equal(body.GetProperty("siteId").GetGuid(), job.GetProperty("siteId").GetGuid());

        var byId = await host.Client.GetFromJsonAsync<JsonElement>($"/api/sites/{body.GetProperty("siteId").GetGuid()}");
        var bySlug = await host.Client.GetFromJsonAsync<JsonElement>($"/api/sites/{slug}");
        Assert.Equal(slug, byId.GetProperty("slug").GetString());
        Assert.Equal(byId.GetProperty("siteId").GetGuid(), bySlug.GetProperty("siteId").GetGuid());

        using var page = await host.Client.GetAsync($"/s/{slug}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<h1>Sample</h1>", html);
        foreach (var platform in new[] { "twitter", "linkedin", "reddit", "hackernews", "email", "copy" })
        {
            Assert.Contains($"data-testid=\"share-{platform}\"", html);
        }

        Assert.Contains("data-testid=\"viral-score\"", html);
        Assert.Contains("action=\"/api/leads/capture\"", html);

        await using var connection = new NpgsqlConnection(host.Service.DatabaseConnectionString);
        var storedHash = await connection.QuerySingleAsync<string>("SELECT owner_token_hash FROM websites WHERE slug = @slug", new { slug });
        Assert.NotEqual(ownerToken, storedHash);
        Assert.Equal(ServiceDefaults.Access.Credentials.Hash(ownerToken), storedHash);
    }

    [Fact]
    public async Task The_owner_removes_a_site_and_it_is_gone_everywhere_it_was_served()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "comet");
        using var generated = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/comet" });
        var body = await generated.Content.ReadFromJsonAsync<JsonElement>();
        var siteId = body.GetProperty("siteId").GetGuid();
        var slug = body.GetProperty("slug").GetString();
        var ownerToken = body.GetProperty("ownerToken").GetString();

        using var anonymous = await RemoveSite(host, siteId, token: null);
        using var stranger = await RemoveSite(host, siteId, token: "not-the-owner-token");
        using var unknown = await RemoveSite(host, Guid.NewGuid(), ownerToken);
        using var stillThere = await host.Client.GetAsync($"/s/{slug}");
        using var removed = await RemoveSite(host, siteId, ownerToken);
        using var again = await RemoveSite(host, siteId, ownerToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/s/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/sites/{siteId}")).StatusCode);
        await using var connection = new NpgsqlConnection(host.Service.DatabaseConnectionString);
        var announced = await connection.QuerySingleAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Generation.SiteRemoved%'");
        Assert.Contains(siteId.ToString(), announced);
    }

    private static async Task<HttpResponseMessage> RemoveSite(GenerationHost host, Guid siteId, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/sites/{siteId}");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await host.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("http://github.com/octo/rocket")]
    [InlineData("https://gitlab.com/octo/rocket")]
    [InlineData("https://github.com.evil.example/octo/rocket")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://github.com/octo")]
    [InlineData("https://github.com/octo/rocket'; DROP TABLE websites; --")]
    [InlineData("")]
    public async Task Rejects_a_bad_url_before_any_network_call(string repoUrl)
    {
        await using var host = await GenerationHost.StartAsync(servers);

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("repoUrl", out _));
        Assert.Equal(0, host.GitHub.TotalRequests);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        await using var host = await GenerationHost.StartAsync(servers);

        using var response = await host.Client.PostAsync("/api/generate", new StringContent("{\"repoUrl\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Respond_async_answers_202_and_the_job_completes()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "later");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = "https://github.com/octo/later" }) };
        request.Headers.Add("Prefer", "respond-async");

        using var response = await host.Client.SendAsync(request);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = accepted.GetProperty("jobId").GetGuid();
        Assert.Equal($"/api/generate/{jobId}", response.Headers.Location?.ToString());
        Assert.Equal($"/api/generate/{jobId}", accepted.GetProperty("statusUrl").GetString());
        Assert.False(string.IsNullOrEmpty(accepted.GetProperty("ownerToken").GetString()));

        var job = await Eventually.ReturnsAsync(
            () => host.Client.GetFromJsonAsync<JsonElement>($"/api/generate/{jobId}"),
            status => status.GetProperty("status").GetString() == "completed");
        Assert.Equal("completed", job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Events_stream_the_stages_until_the_job_ends()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = "https://github.com/octo/stream" }) };
        request.Headers.Add("Prefer", "respond-async");
        using var response = await host.Client.SendAsync(request);
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();

        using var events = await host.Client.GetAsync($"/api/generate/{jobId}/events", HttpCompletionOption.ResponseHeadersRead);
        var stream = await events.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        var stages = stream.Split('\n').Where(line => line.StartsWith("event: ", StringComparison.Ordinal)).Select(line => line["event: ".Length..]).ToList();
        Assert.Equal("completed", stages[^1]);
        var known = new[] { "queued", "fetching-repo", "writing", "rendering", "completed" };
        Assert.All(stages, stage => Assert.Contains(stage, known));
        Assert.Equal(stages.OrderBy(stage => Array.IndexOf(known, stage)), stages);
    }

    [Fact]
    public async Task Unknown_job_is_a_404_problem()
    {
        await using var host = await GenerationHost.StartAsync(servers);

        using var response = await host.Client.GetAsync($"/api/generate/{Guid.NewGuid()}");
        using var site = await host.Client.GetAsync("/api/sites/no-such-site");
        using var page = await host.Client.GetAsync("/s/no-such-site");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, site.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("application/problem+json", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Untrusted_text_never_reaches_the_page_or_the_data_as_markup()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("evil", "xss",
            description: "<script>alert('d')</script>Nice <img src=x onerror=alert(1)> tool",
            readme: "# <img src=x onerror=alert(2)>Pwn\n\n<script>alert(3)</script>\n\nA [link](javascript:alert(4)) here and javascript:alert(5).\n\n## Features\n\n- <b onmouseover=alert(6)>bold</b>\n- [click](javascript:alert(7))\n- \"quoted\" & <i>fine</i>\n",
            homepage: "javascript:alert(8)");

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/evil/xss" });
        var raw = await response.Content.ReadAsStringAsync();
        var body = JsonSerializer.Deserialize<JsonElement>(raw);
        var page = await host.Client.GetStringAsync(body.GetProperty("siteUrl").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var siteData = body.GetProperty("siteData").GetRawText();
        foreach (var text in new[] { siteData, page })
        {
            Assert.DoesNotContain("<script>alert", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onerror", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onmouseover", text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(JsonValueKind.Null, body.GetProperty("siteData").GetProperty("repo").GetProperty("homepage").ValueKind);
        // The only scripts are the platform's own, by address: its shared calls, the site's behaviour and real-user monitoring;
        // besides them only the structured data for search engines, which is not run and parses as JSON.
        Assert.Equal(["<script type=\"application/ld+json\">", "<script src=\"/assets/common.js\" defer>", "<script src=\"/s/assets/site.js\" defer>", "<script src=\"/assets/rum.js\" defer>"],
            System.Text.RegularExpressions.Regex.Matches(page, "<script[^>]*>").Select(match => match.Value));
        var structured = System.Text.RegularExpressions.Regex.Match(page, "<script type=\"application/ld\\+json\">(.*?)</script>").Groups[1].Value;
        Assert.DoesNotContain("<", structured, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(structured).RootElement.ValueKind);
        Assert.Contains("&quot;quoted&quot; &amp; fine", page);
    }

    [Fact]
    public async Task Unknown_repository_is_a_404_repo_not_found()
    {
        await using var host = await GenerationHost.StartAsync(servers);

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/nobody/nothing" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("repo_not_found", problem.GetProperty("code").GetString());
        var job = await host.Client.GetFromJsonAsync<JsonElement>($"/api/generate/{problem.GetProperty("jobId").GetGuid()}");
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("repo_not_found", job.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task GitHub_outage_fails_the_job_as_github_unavailable_after_retries()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.FailRepository("octo", "down", HttpStatusCode.ServiceUnavailable);

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/down" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("github_unavailable", problem.GetProperty("code").GetString());
        // The HTTP retry and the queue's retries both tried again before giving up.
        Assert.True(host.GitHub.RequestsTo("/repos/octo/down") >= 3);
    }

    [Fact]
    public async Task The_same_repository_again_reuses_the_fetch_but_makes_a_new_site_and_token()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "again");

        var first = await (await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/again" })).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/OCTO/again.git" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(1, host.GitHub.RequestsTo("/repos/octo/again"));
        Assert.Equal(1, host.GitHub.RequestsTo("/repos/octo/again/readme"));
        Assert.NotEqual(first.GetProperty("siteId").GetGuid(), second.GetProperty("siteId").GetGuid());
        Assert.NotEqual(first.GetProperty("slug").GetString(), second.GetProperty("slug").GetString());
        Assert.NotEqual(first.GetProperty("ownerToken").GetString(), second.GetProperty("ownerToken").GetString());
        Assert.Equal(first.GetProperty("siteData").GetRawText(), second.GetProperty("siteData").GetRawText());
    }

    [Fact]
    public async Task Past_the_cache_window_a_conditional_request_revalidates()
    {
        await using var host = await GenerationHost.StartAsync(servers, settings: new() { ["FourSite:Generation:CacheWindow"] = "00:00:00" });
        host.GitHub.AddRepository("octo", "etag");

        await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/etag" });
        using var second = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/etag" });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, host.GitHub.RequestsTo("/repos/octo/etag"));
        // The 304 kept the README from the first fetch.
        Assert.Equal(1, host.GitHub.RequestsTo("/repos/octo/etag/readme"));
    }

    [Fact]
    public async Task While_GitHub_is_down_a_cached_repository_still_generates()
    {
        await using var host = await GenerationHost.StartAsync(servers, settings: new() { ["FourSite:Generation:CacheWindow"] = "00:00:00" });
        host.GitHub.AddRepository("octo", "stale", description: "Seen before");
        using var first = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/stale" });
        host.GitHub.FailRepository("octo", "stale", HttpStatusCode.ServiceUnavailable);

        using var second = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/stale" });
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("Seen before", body.GetProperty("siteData").GetProperty("tagline").GetString());
    }

    [Fact]
    public async Task A_redelivered_command_does_not_make_a_second_site()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "twice");
        var body = await (await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/twice" })).Content.ReadFromJsonAsync<JsonElement>();
        var jobId = body.GetProperty("jobId").GetGuid();

        var bus = host.Service.Services.GetRequiredService<IBus>();
        var queue = await bus.GetSendEndpoint(new Uri($"queue:{GenerationQueues.GenerateSite}"));
        await queue.Send(new GenerateSite(jobId, "octo", "twice", DateTimeOffset.UtcNow));
        await queue.Send(new GenerateSite(jobId, "octo", "twice", DateTimeOffset.UtcNow));
        // A later job on the same queue is processed after the repeats, so once it is done they were handled.
        var marker = await (await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/twice" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(marker.GetProperty("success").GetBoolean());

        await using var connection = new NpgsqlConnection(host.Service.DatabaseConnectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM websites WHERE job_id = @jobId", new { jobId }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM websites"));
        // Started and generated are each announced once, whatever the repeats.
        foreach (var announcement in new[] { nameof(GenerationStarted), nameof(SiteGenerated) })
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Generation.' || @announcement || ',%' AND body->>'jobId' = @jobId",
                new { announcement, jobId = jobId.ToString() }));
        }
    }

    [Fact]
    public async Task Jobs_accepted_while_the_broker_is_down_complete_once_it_is_back()
    {
        using var gitHub = new GitHubStandIn();
        gitHub.AddRepository("octo", "outage");
        var settings = GenerationHost.SettingsFor(gitHub);
        var brokerDown = new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:messaging"] = $"amqp://guest:guest@127.0.0.1:{FreeLoopbackPort()}",
            ["FourSite:Generation:WaitBound"] = "00:00:01",
        };
        await using var isolated = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, brokerDown);
        using var isolatedClient = isolated.CreateClient();

        var accepted = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await isolatedClient.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/outage" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        }

        await using var connection = new NpgsqlConnection(isolated.DatabaseConnectionString);
        Assert.Equal(5, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM generation_jobs WHERE status = 'queued'"));
        Assert.Equal(5, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"));
        await isolated.DisposeAsync();

        // The broker is reachable again (a replica with the right address): the relay delivers, every job completes once.
        await using var recovered = isolated.Replica(settings);
        using var recoveredClient = recovered.CreateClient();
        var ids = accepted.ToArray();
        var completed = await Eventually.ReturnsAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM generation_jobs WHERE status = 'completed' AND id = ANY(@ids)", new { ids }),
            count => count == ids.Length);
        Assert.Equal(ids.Length, completed);
        Assert.Equal(ids.Length, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM websites WHERE job_id = ANY(@ids)", new { ids }));
        // The jobs' own events (started, generated) follow through the same outbox.
        Assert.Equal(0, await Eventually.ReturnsAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"), unsent => unsent == 0));
        await ServiceFactory<Program>.WaitUntilReadyAsync(recoveredClient);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
