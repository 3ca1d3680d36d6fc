using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace FourSite.Gateway.Tests;

public sealed class HealthApiTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly string[] ServiceNames = ["generation", "leads", "viral", "metrics"];
    private readonly List<BackendService> _backends = [];
    private GatewayFactory? _gateway;

    private GatewayFactory Gateway => _gateway!;

    public async Task InitializeAsync()
    {
        foreach (var name in ServiceNames)
        {
            _backends.Add(await BackendService.StartAsync(name));
        }

        _gateway = new GatewayFactory(_backends.Select(backend => (backend.Name, backend.Address)), redis.Server.ConnectionString);
    }

    [Fact]
    public async Task Platform_is_healthy_when_every_service_is()
    {
        using var client = Gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<PlatformHealthBody>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body!.Status);
        Assert.Equal(ServiceNames.Order(), body.Services.Keys.Order());
        Assert.All(body.Services.Values, status => Assert.Equal("healthy", status));
        Assert.True(DateTimeOffset.UtcNow - body.Timestamp < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Platform_is_unhealthy_with_503_when_one_service_reports_unhealthy()
    {
        _backends.Single(backend => backend.Name == "leads").HealthStatus = 503;
        using var client = Gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<PlatformHealthBody>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body!.Status);
        Assert.Equal("unhealthy", body.Services["leads"]);
        Assert.Equal("healthy", body.Services["viral"]);
    }

    [Fact]
    public async Task A_service_that_is_down_makes_the_platform_unhealthy()
    {
        var viral = _backends.Single(backend => backend.Name == "viral");
        await viral.DisposeAsync();
        _backends.Remove(viral);
        using var client = Gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<PlatformHealthBody>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body!.Services["viral"]);
    }

    [Fact]
    public async Task Database_health_gathers_every_service()
    {
        using var client = Gateway.CreateClient();

        var body = await client.GetFromJsonAsync<PlatformDatabaseBody>(new Uri("/api/health/db", UriKind.Relative));

        Assert.Equal("connected", body!.Database);
        Assert.Equal(1.5, body.Latency);
        Assert.Equal(ServiceNames.Order(), body.Services.Keys.Order());
    }

    [Theory]
    [InlineData("/api/generate", "generation")]
    [InlineData("/api/generate/6f1c0d7e-0000-4000-8000-000000000001/events", "generation")]
    [InlineData("/api/sites/my-site", "generation")]
    [InlineData("/s/my-site", "generation")]
    [InlineData("/api/leads?siteId=1", "leads")]
    [InlineData("/api/leads/capture", "leads")]
    [InlineData("/api/share/track", "viral")]
    [InlineData("/api/viral/coefficient?date=2026-11-25", "viral")]
    [InlineData("/api/showcase", "viral")]
    [InlineData("/api/referrals/abc", "viral")]
    [InlineData("/api/commissions/rate?userId=1&months=3", "viral")]
    [InlineData("/api/billing/checkout", "viral")]
    [InlineData("/api/analytics/rum", "metrics")]
    [InlineData("/api/dashboard/realtime", "metrics")]
    [InlineData("/api/alerts", "metrics")]
    public async Task Routes_each_public_path_to_the_service_that_owns_it(string path, string service)
    {
        using var client = Gateway.CreateClient();

        var answer = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Equal($"{service} GET {path}", answer);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    private sealed record PlatformHealthBody(string Status, DateTimeOffset Timestamp, Dictionary<string, string> Services);

    private sealed record PlatformDatabaseBody(string Database, double Latency, Dictionary<string, DatabaseBody> Services);

    private sealed record DatabaseBody(string Database, double Latency);
}
