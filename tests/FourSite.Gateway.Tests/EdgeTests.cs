using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Gateway.Signals;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>The gateway's edge: rate limits shared through Redis, security headers, body caps, failures as problems.</summary>
public sealed class EdgeTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly string[] ServiceNames = ["generation", "leads", "viral", "metrics"];
    private readonly List<BackendService> _backends = [];

    private IEnumerable<(string, Uri)> Services => _backends.Select(backend => (backend.Name, backend.Address));

    public async Task InitializeAsync()
    {
        foreach (var name in ServiceNames)
        {
            _backends.Add(await BackendService.StartAsync(name));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    private static HttpRequestMessage Generate(string client, int bodyPadding = 0)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate")
        {
            Content = JsonContent.Create(new { repoUrl = "https://github.com/octo/rocket", padding = new string('x', bodyPadding) }),
        };
        // Each test is its own client, by address (the gateway believes X-Forwarded-For from its loopback proxy).
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }

    private static string NewClientAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    [Fact]
    public async Task An_unknown_api_key_gets_no_bucket_of_its_own()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();
        var caller = NewClientAddress();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            using var request = Generate(caller);
            request.Headers.Add("X-Api-Key", Guid.NewGuid().ToString());
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task A_trailing_slash_does_not_escape_the_limit_or_the_body_cap()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var oversize = new HttpRequestMessage(HttpMethod.Post, "/API/generate/")
        {
            Content = JsonContent.Create(new { repoUrl = "https://github.com/octo/rocket", padding = new string('x', 20_000) }),
        };
        oversize.Headers.Add("X-Forwarded-For", NewClientAddress());
        using var response = await client.SendAsync(oversize);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_burst_of_100_concurrent_generates_is_partly_refused_with_429_and_retry_after()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();
        var caller = NewClientAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.SendAsync(Generate(caller))));

        var refused = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.OK);
        Assert.DoesNotContain(responses, response => (int)response.StatusCode >= 500);
        Assert.All(refused, response => Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1));
        var problem = await refused[0].Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Someone_generating_one_site_after_another_is_not_limited()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();
        var caller = NewClientAddress();

        for (var i = 0; i < 15; i++)
        {
            using var response = await client.SendAsync(Generate(caller));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Two_gateways_share_one_limit()
    {
        await using var first = new GatewayFactory(Services, redis.Server.ConnectionString);
        await using var second = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        var caller = NewClientAddress();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await firstClient.SendAsync(Generate(caller));
            statuses.Add(response.StatusCode);
        }

        using var onSecond = await secondClient.SendAsync(Generate(caller));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, onSecond.StatusCode);
    }

    [Fact]
    public async Task Without_redis_the_gateway_limits_locally_and_keeps_serving()
    {
        await using var gateway = new GatewayFactory(Services, "127.0.0.1:1,connectTimeout=200,abortConnect=false");
        using var client = gateway.CreateClient();
        var caller = NewClientAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.SendAsync(Generate(caller))));

        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.OK);
        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.DoesNotContain(responses, response => (int)response.StatusCode >= 500);
    }

    [Fact]
    public async Task Limits_can_be_switched_off_for_load_tests()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString, new Dictionary<string, string?>
        {
            ["FourSite:Gateway:RateLimiting:Enabled"] = "false",
        });
        using var client = gateway.CreateClient();
        var caller = NewClientAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => client.SendAsync(Generate(caller))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
    }

    [Fact]
    public async Task Security_headers_are_on_apis_and_pages()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var api = await client.GetAsync("/api/health");
        using var page = await client.GetAsync("/s/some-site");

        Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", api.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("script-src 'self'", api.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("strict-origin-when-cross-origin", api.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("SAMEORIGIN", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.False(api.Headers.Contains("Strict-Transport-Security"));

        using var https = gateway.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var secure = await https.GetAsync("/api/health");
        Assert.StartsWith("max-age=", secure.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Oversize_bodies_are_refused_with_413()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var response = await client.SendAsync(Generate(NewClientAddress(), bodyPadding: 20_000));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_stopped_service_is_a_quick_503_problem_naming_the_route()
    {
        var viral = _backends.Single(backend => backend.Name == "viral");
        var address = viral.Address;
        await viral.DisposeAsync();
        _backends.Remove(viral);
        await using var gateway = new GatewayFactory(Services.Append(("viral", address)), redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/showcase");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("service_unavailable", problem.GetProperty("code").GetString());
        Assert.Equal("viral-showcase", problem.GetProperty("route").GetString());
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_service_that_does_not_answer_in_time_is_a_504_problem()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString, new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:viral:HttpRequest:ActivityTimeout"] = "00:00:01",
        });
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/showcase/slow");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("service_timeout", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Clients_behind_a_trusted_proxy_are_limited_by_their_own_address()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString, new Dictionary<string, string?>
        {
            ["FourSite:Gateway:TrustedProxies:0"] = "127.0.0.1",
        });
        using var client = gateway.CreateClient();
        var first = $"203.0.113.{Random.Shared.Next(1, 250)}";
        var second = $"198.51.100.{Random.Shared.Next(1, 250)}";

        async Task<HttpStatusCode> GenerateFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = "https://github.com/octo/rocket" }) };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var firstStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            firstStatuses.Add(await GenerateFrom(first));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, firstStatuses[^1]);
        Assert.Equal(HttpStatusCode.OK, await GenerateFrom(second));
    }

    [Fact]
    public async Task Configured_origins_may_call_from_a_browser()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString, new Dictionary<string, string?>
        {
            ["FourSite:Gateway:CorsOrigins:0"] = "https://app.example",
        });
        using var client = gateway.CreateClient();
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        allowed.Headers.Add("Origin", "https://app.example");
        using var other = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        other.Headers.Add("Origin", "https://evil.example");

        using var allowedResponse = await client.SendAsync(allowed);
        using var otherResponse = await client.SendAsync(other);

        Assert.Equal("https://app.example", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Every_request_is_counted_per_endpoint_and_slot_for_the_golden_signals()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();
        var tag = Guid.NewGuid().ToString("N");

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync($"/api/showcase?tag={tag}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await gateway.Services.GetRequiredService<RequestSignalRecorder>().FlushAsync();

        var database = gateway.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var now = RequestSignals.UnixMinute(DateTimeOffset.UtcNow);
        var counts = (await Task.WhenAll(new[] { now, now - 1 }.Select(minute => database.HashGetAllAsync(RequestSignals.Key(minute)))))
            .SelectMany(hash => hash)
            .Where(entry => entry.Name.ToString().StartsWith("GET viral-showcase|blue|", StringComparison.Ordinal))
            .GroupBy(entry => entry.Name.ToString().Split('|')[2])
            .ToDictionary(group => group.Key, group => group.Sum(entry => (long)entry.Value));
        Assert.True(counts[RequestSignals.Requests] >= 3);
        Assert.True(counts["2xx"] >= 3);
        Assert.True(counts.Where(entry => entry.Key.StartsWith('b')).Sum(entry => entry.Value) >= 3);
        Assert.True(await database.KeyTimeToLiveAsync(RequestSignals.Key(now)) > TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task The_platform_pages_name_fingerprinted_assets_that_never_go_stale()
    {
        await using var gateway = new GatewayFactory(Services, redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var landing = await client.GetAsync("/");
        var html = await landing.Content.ReadAsStringAsync();
        var assets = global::System.Text.RegularExpressions.Regex.Matches(html, "/assets/[a-z]+\\.[0-9a-f]{10}\\.(?:js|css)").Select(match => match.Value).ToList();
        using var plainRum = await client.GetAsync("/assets/rum.js");
        using var unknown = await client.GetAsync("/assets/landing.0000000000.js");

        Assert.Equal("no-cache", landing.Headers.CacheControl?.ToString());
        Assert.DoesNotContain("{{", html);
        Assert.Equal(4, assets.Count);
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }

        Assert.Equal("public, max-age=3600", plainRum.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        foreach (var page in new[] { "/dashboard", "/ops" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(page)).StatusCode);
        }
    }
}
