using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// Owner delivery across the whole system, through the gateway: a lead captured on a generated site reaches the owner's
/// webhook signed, the export streams it, and a signed GitHub release regenerates the site announced to the webhook.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OwnerDeliveryThroughGatewayTests(PlatformApp platform)
{
    private static HttpRequestMessage AsOwner(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static bool Verifies(string secret, ReceivedWebhook webhook)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.{webhook.Body}")));
        return webhook.Signature?.Split(' ').Contains(expected) == true;
    }

    [Fact]
    public async Task A_captured_lead_reaches_the_owners_webhook_signed_and_the_export_has_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        platform.GitHub.AddRepository("acme", "deliveries");
        using var client = platform.CreateGatewayClient();
        var site = await (await client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/acme/deliveries" })).Content.ReadFromJsonAsync<JsonElement>();
        var siteId = site.GetProperty("siteId").GetGuid();
        var token = site.GetProperty("ownerToken").GetString()!;

        var created = await Eventually.ReturnsAsync(() => client.SendAsync(AsOwner(HttpMethod.Post, $"/api/sites/{siteId}/webhooks", token,
            new { url = receiver.Url("/leads"), events = new[] { "lead.captured", "site.regenerated" } })), response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        using (var stranger = await client.GetAsync($"/api/sites/{siteId}/webhooks"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        }

        using var capture = await client.PostAsJsonAsync("/api/leads/capture", new { email = "buyer@example.com", siteId, newsletterOptIn = true });
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);

        var delivered = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Processed), hooks => hooks.Count >= 1);
        var lead = Assert.Single(delivered);
        Assert.True(Verifies(secret, lead));
        var payload = JsonDocument.Parse(lead.Body).RootElement;
        Assert.Equal("lead.captured", payload.GetProperty("type").GetString());
        Assert.Equal("b***@example.com", payload.GetProperty("data").GetProperty("email").GetString());

        using var export = await client.SendAsync(AsOwner(HttpMethod.Get, $"/api/leads/export?siteId={siteId}&format=csv", token));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains(",b***@example.com,", await export.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GitHubs_signed_deliveries_reach_generation_through_the_gateway_and_unsigned_ones_do_not()
    {
        using var client = platform.CreateGatewayClient();
        var body = JsonSerializer.Serialize(new { action = "published", release = new { tag_name = "v1.0.0" }, repository = new { name = "nobody-verified", owner = new { login = "acme" } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "release");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PlatformApp.GitHubWebhookSecret), Encoding.UTF8.GetBytes(body))));

        using var accepted = await client.SendAsync(request);

        // Reached Generation through the gateway and checked there: no verified site of that repository, nothing regenerating.
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(0, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("regenerating").GetInt32());
        using var unsigned = await client.PostAsync("/api/github/webhook", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }
}
