using System.Net;
using System.Net.Http.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>Blue/green: traffic moves between a service's two slots through the admin API, without dropping requests.</summary>
public sealed class SlotsTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const string OperatorKey = "slots-operator-key";
    private readonly List<BackendService> _backends = [];
    private BackendService _green = null!;

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "generation", "leads", "viral", "metrics" })
        {
            _backends.Add(await BackendService.StartAsync(name));
        }

        _green = await BackendService.StartAsync("generation-green");
    }

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends.Append(_green))
        {
            await backend.DisposeAsync();
        }
    }

    private GatewayFactory Gateway(bool withGreen = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
            ["FourSite:Gateway:RateLimiting:Enabled"] = "false",
        };
        if (withGreen)
        {
            settings["ReverseProxy:Clusters:generation:Destinations:green:Address"] = _green.Address.ToString();
        }

        return new GatewayFactory(_backends.Select(backend => (backend.Name, backend.Address)), redis.Server.ConnectionString, settings);
    }

    private static async Task<HttpResponseMessage> Switch(HttpClient client, string service, object body, string? key = OperatorKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/slots/{service}") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await client.SendAsync(request);
    }

    private static async Task<List<string>> ServedBy(HttpClient client, int requests)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => client.GetStringAsync("/api/generate/status")));
        return answers.Select(answer => answer.Split(' ')[0]).ToList();
    }

    [Fact]
    public async Task Switching_moves_all_traffic_and_back()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();
        await Switch(client, "generation", new { slot = "blue" });
        using var view = new HttpRequestMessage(HttpMethod.Get, "/admin/slots");
        view.Headers.Add("X-Api-Key", OperatorKey);
        var slots = await (await client.SendAsync(view)).Content.ReadAsStringAsync();
        Assert.Contains("\"slot\":\"green\"", slots);
        Assert.All(await ServedBy(client, 20), backend => Assert.Equal("generation", backend));

        using var toGreen = await Switch(client, "generation", new { slot = "green" });
        Assert.Equal(HttpStatusCode.OK, toGreen.StatusCode);
        Assert.All(await ServedBy(client, 20), backend => Assert.Equal("generation-green", backend));

        await Switch(client, "generation", new { slot = "blue" });
        Assert.All(await ServedBy(client, 20), backend => Assert.Equal("generation", backend));
    }

    [Fact]
    public async Task A_canary_sends_a_share_of_traffic_to_the_new_slot()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();
        await Switch(client, "generation", new { slot = "blue" });

        using var canary = await Switch(client, "generation", new { slot = "green", percent = 50 });
        var served = await ServedBy(client, 200);

        Assert.Equal(HttpStatusCode.OK, canary.StatusCode);
        Assert.InRange(served.Count(backend => backend == "generation-green"), 40, 160);
        Assert.InRange(served.Count(backend => backend == "generation"), 40, 160);
        await Switch(client, "generation", new { slot = "blue" });
    }

    [Fact]
    public async Task A_switch_under_load_drops_no_request()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();
        await Switch(client, "generation", new { slot = "blue" });

        var load = Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
        {
            await Task.Delay(i % 50);
            using var response = await client.GetAsync("/api/generate/status");
            return response.StatusCode;
        }));
        foreach (var slot in new[] { "green", "blue", "green", "blue" })
        {
            await Switch(client, "generation", new { slot });
            await Task.Delay(10);
        }

        Assert.All(await load, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Every_gateway_replica_follows_a_switch()
    {
        await using var first = Gateway();
        await using var second = Gateway();
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        await Switch(firstClient, "generation", new { slot = "blue" });

        await Switch(firstClient, "generation", new { slot = "green" });

        var served = await Eventually.ReturnsAsync(() => ServedBy(secondClient, 10), backends => backends.All(backend => backend == "generation-green"));
        Assert.All(served, backend => Assert.Equal("generation-green", backend));
        await Switch(firstClient, "generation", new { slot = "blue" });
    }

    [Fact]
    public async Task Only_operators_switch_and_only_to_a_running_slot()
    {
        await using var gateway = Gateway(withGreen: false);
        using var client = gateway.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Switch(client, "generation", new { slot = "green" }, key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Switch(client, "generation", new { slot = "green" }, key: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Switch(client, "generation", new { slot = "green" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Switch(client, "generation", new { slot = "purple" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Switch(client, "nothing", new { slot = "blue" })).StatusCode);
        Assert.All(await ServedBy(client, 10), backend => Assert.Equal("generation", backend));
    }

    [Fact]
    public async Task An_operator_reaches_the_idle_slot_by_naming_it_and_nobody_else_can()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();
        await Switch(client, "generation", new { slot = "blue" });

        var pinned = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Pinned(client, "green", OperatorKey)));
        var visitor = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Pinned(client, "green", key: null)));
        var wrongKey = await Pinned(client, "green", "not-the-key");

        Assert.All(pinned, answer => Assert.Equal("generation-green", answer));
        Assert.All(visitor, answer => Assert.Equal("generation", answer));
        Assert.Equal("generation", wrongKey);
    }

    [Fact]
    public async Task A_request_pinned_to_a_slot_that_is_not_running_fails_rather_than_reaching_the_live_one()
    {
        await using var gateway = Gateway(withGreen: false);
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/generate/status");
        request.Headers.Add("X-Api-Key", OperatorKey);
        request.Headers.Add("X-FourSite-Slot", "green");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static async Task<string> Pinned(HttpClient client, string slot, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/generate/status");
        request.Headers.Add("X-FourSite-Slot", slot);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await client.SendAsync(request);
        return (await response.Content.ReadAsStringAsync()).Split(' ')[0];
    }
}
