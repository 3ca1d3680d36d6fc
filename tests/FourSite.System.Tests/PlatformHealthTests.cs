using System.Net;
using System.Net.Http.Json;
using FourSite.Client;
using FourSite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FourSite.System.Tests;

[Collection(PlatformCollection.Name)]
public sealed class PlatformHealthTests(PlatformApp platform)
{
    private static readonly string[] Services = ["generation", "leads", "viral", "metrics"];

    [Fact]
    public async Task Gateway_reports_every_service_healthy()
    {
        using var client = platform.CreateGatewayClient();

        var response = await Eventually.ReturnsAsync(
            () => client.GetAsync(new Uri("/api/health", UriKind.Relative)),
            answer => answer.StatusCode == HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<PlatformHealthBody>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", body!.Status);
        Assert.Equal(Services.Order(), body.Services.Keys.Order());
        Assert.All(body.Services.Values, status => Assert.Equal("healthy", status));
    }

    [Fact]
    public async Task A_dotnet_app_reaches_the_platform_through_the_registered_client()
    {
        using var gateway = platform.CreateGatewayClient();
        var services = new ServiceCollection();
        services.AddFourSiteClient(gateway.BaseAddress!);
        await using var provider = services.BuildServiceProvider();

        var health = await provider.GetRequiredService<IFourSiteApi>().GetHealthAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy", health.Content.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Every_service_reaches_its_database_on_the_shared_server()
    {
        using var client = platform.CreateGatewayClient();

        var body = await client.GetFromJsonAsync<PlatformDatabaseBody>(new Uri("/api/health/db", UriKind.Relative));

        Assert.Equal("connected", body!.Database);
        Assert.True(body.Latency > 0);
        Assert.All(Services, service => Assert.Equal("connected", body.Services[service].Database));
    }

    [Fact]
    public async Task Unknown_api_paths_are_a_404_problem_not_a_500()
    {
        using var client = platform.CreateGatewayClient();

        using var response = await client.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_request_through_the_gateway_is_one_trace_with_the_service()
    {
        using var client = platform.CreateGatewayClient();
        var traceId = Convert.ToHexStringLower(global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sites/no-such-site");
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<global::System.Text.Json.JsonElement>();

        // The problem is written by Generation: its trace id is the caller's, carried through the gateway.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("site_not_found", problem.GetProperty("code").GetString());
        Assert.Contains(traceId, problem.GetProperty("traceId").GetString());
    }

    private sealed record PlatformHealthBody(string Status, DateTimeOffset Timestamp, Dictionary<string, string> Services);

    private sealed record PlatformDatabaseBody(string Database, double Latency, Dictionary<string, DatabaseBody> Services);

    private sealed record DatabaseBody(string Database, double Latency);
}
