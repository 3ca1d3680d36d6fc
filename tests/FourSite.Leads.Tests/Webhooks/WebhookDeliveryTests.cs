using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Viral;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Xunit;

namespace FourSite.Leads.Tests.Webhooks;

/// <summary>Webhook deliveries to a real endpoint on loopback that fails, times out and recovers.</summary>
public sealed class WebhookDeliveryTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private WebhookService _leads = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _leads = await WebhookService.StartAsync(servers);
    }

    public async Task DisposeAsync()
    {
        await _leads.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static JsonElement Json(ReceivedWebhook webhook) => JsonDocument.Parse(webhook.Body).RootElement;

    private async Task<IReadOnlyList<ReceivedWebhook>> ProcessedAsync(string path, int count) =>
        await Eventually.ReturnsAsync(() => Task.FromResult(_receiver.Processed.Where(hook => hook.Path == path).ToList() as IReadOnlyList<ReceivedWebhook>), hooks => hooks.Count >= count);

    [Fact]
    public async Task A_lead_reaches_an_endpoint_that_fails_times_out_and_recovers_once_signed_and_retried()
    {
        var siteId = await _leads.SiteAsync("token-of-a-recovering-endpoint");
        var (webhookId, secret) = await _leads.AddWebhookAsync(siteId, _receiver.Url("/recovering"), ["lead.captured"], token: "token-of-a-recovering-endpoint");
        var answers = new Queue<Func<CancellationToken, Task<int>>>(
        [
            _ => Task.FromResult(500),
            _ => Task.FromResult(503),
            async cancel => { await Task.Delay(TimeSpan.FromSeconds(5), cancel); return 200; },
        ]);
        _receiver.Answer = (request, cancel) => request.Path == "/recovering" && answers.TryDequeue(out var answer) ? answer(cancel) : Task.FromResult(200);

        using var capture = await _leads.CaptureAsync(siteId, "ada@engines.io");
        var leadId = (await capture.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("leadId").GetGuid();

        var delivered = Assert.Single(await ProcessedAsync("/recovering", 1));
        var attempts = _receiver.Received.Where(hook => hook.Path == "/recovering").ToList();
        Assert.Equal(4, attempts.Count);
        // Every attempt is the same message, each signed afresh and verifiable from the specification alone.
        Assert.Single(attempts.Select(hook => hook.Id).Distinct());
        Assert.All(attempts, hook => Assert.True(SpecificationSignature.Verifies(secret, hook), $"attempt {hook.Timestamp} is not signed with the secret"));
        Assert.All(attempts, hook => Assert.True(SpecificationSignature.IsFresh(hook)));
        Assert.False(SpecificationSignature.Verifies(secret, delivered with { Body = delivered.Body.Replace("a***", "b***", StringComparison.Ordinal) }));

        var payload = Json(delivered);
        Assert.Equal("lead.captured", payload.GetProperty("type").GetString());
        Assert.Equal(leadId, payload.GetProperty("data").GetProperty("leadId").GetGuid());
        Assert.Equal(siteId, payload.GetProperty("data").GetProperty("siteId").GetGuid());
        Assert.InRange(payload.GetProperty("data").GetProperty("leadScore").GetInt32(), 1, 100);
        // A token holder's webhook, on an unverified site, gets the address as the list shows it.
        Assert.Equal("a***@engines.io", payload.GetProperty("data").GetProperty("email").GetString());

        var deliveries = await Eventually.ReturnsAsync(() => _leads.DeliveriesAsync(siteId, webhookId, token: "token-of-a-recovering-endpoint"),
            list => list.GetArrayLength() == 1 && list[0].GetProperty("status").GetString() == "delivered");
        var record = deliveries[0];
        Assert.Equal("delivered", record.GetProperty("status").GetString());
        Assert.Equal(4, record.GetProperty("attempts").GetInt32());
        var log = record.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal([500, 503, null, 200], log.Select(attempt => attempt.GetProperty("statusCode").ValueKind == JsonValueKind.Null ? (int?)null : attempt.GetProperty("statusCode").GetInt32()));
        Assert.Contains("No answer within 2 s", log[2].GetProperty("error").GetString());
        Assert.All(log, attempt => Assert.True(attempt.GetProperty("latencyMs").GetDouble() > 0));
        Assert.Equal(JsonValueKind.Null, record.GetProperty("nextAttemptAt").ValueKind);
    }

    [Fact]
    public async Task Every_subscribed_event_is_delivered_once_and_only_those()
    {
        var maintainers = Guid.NewGuid();
        var siteId = await _leads.SiteAsync("token-of-an-eventful-site", maintainers);
        await _leads.Bus.Publish(new SiteOwnerChanged(siteId, maintainers, Verified: true, Credentials.Hash("token-of-an-eventful-site"), DateTimeOffset.UtcNow));
        var (everything, secret) = await _leads.AddWebhookAsync(siteId, _receiver.Url("/everything"),
            ["lead.captured", "lead.erased", "share.milestone", "site.featured", "site.upgraded", "site.regenerated"], account: maintainers);
        await _leads.AddWebhookAsync(siteId, _receiver.Url("/featured-only"), ["site.featured"], account: maintainers);
        await Eventually.ReturnsAsync(async () =>
        {
            await using var connection = _leads.Database();
            return await connection.ExecuteScalarAsync<bool>("SELECT verified FROM lead_sites WHERE site_id = @siteId", new { siteId });
        }, verified => verified);

        await _leads.CaptureAsync(siteId, "grace@navy.mil");
        await _leads.CaptureAsync(siteId, "grace@navy.mil");
        var now = DateTimeOffset.UtcNow;
        var upgradeId = Guid.NewGuid();
        // Each cause twice, as a redelivered message would come: one delivery each.
        for (var repeat = 0; repeat < 2; repeat++)
        {
            await _leads.Bus.Publish(new ShareMilestoneReached(siteId, 10, now));
            await _leads.Bus.Publish(new SiteFeatured(siteId, 31.5, 25, now));
            await _leads.Bus.Publish(new SiteUpgraded(upgradeId, siteId, Guid.NewGuid(), "pro_monthly", 1900, "usd", null, null, now));
            await _leads.Bus.Publish(new SiteRegenerated(siteId, "kite-1234", "Kite", "release", "v2.0.0", now));
        }

        await ProcessedAsync("/everything", 5);
        using var erased = await _leads.SendAsync(HttpMethod.Delete, "/api/leads?email=grace@navy.mil", operatorKey: WebhookService.OperatorKey);
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        var delivered = await ProcessedAsync("/everything", 6);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(
            ["lead.captured", "lead.erased", "share.milestone", "site.featured", "site.regenerated", "site.upgraded"],
            _receiver.Processed.Where(hook => hook.Path == "/everything").Select(hook => Json(hook).GetProperty("type").GetString()!).Order());
        Assert.All(delivered, hook => Assert.True(SpecificationSignature.Verifies(secret, hook)));
        Assert.Equal(["site.featured"], _receiver.Processed.Where(hook => hook.Path == "/featured-only").Select(hook => Json(hook).GetProperty("type").GetString()!));

        // The verified maintainers' own webhook gets the address itself.
        var lead = delivered.Single(hook => Json(hook).GetProperty("type").GetString() == "lead.captured");
        Assert.Equal("grace@navy.mil", Json(lead).GetProperty("data").GetProperty("email").GetString());
        var milestone = delivered.Single(hook => Json(hook).GetProperty("type").GetString() == "share.milestone");
        Assert.Equal(10, Json(milestone).GetProperty("data").GetProperty("shares").GetInt32());
        var regenerated = delivered.Single(hook => Json(hook).GetProperty("type").GetString() == "site.regenerated");
        Assert.Equal("v2.0.0", Json(regenerated).GetProperty("data").GetProperty("release").GetString());

        // On demand: webhook.test.
        using var test = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks/{everything}/test", account: maintainers);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var tested = await ProcessedAsync("/everything", 7);
        Assert.Contains(tested, hook => Json(hook).GetProperty("type").GetString() == "webhook.test");
    }

    [Fact]
    public async Task Gone_disables_a_webhook_and_so_do_days_of_failures_and_the_owner_sees_why()
    {
        var siteId = await _leads.SiteAsync("token-of-a-fading-endpoint");
        var (gone, _) = await _leads.AddWebhookAsync(siteId, _receiver.Url("/gone"), ["lead.captured"], token: "token-of-a-fading-endpoint");
        var (failing, _) = await _leads.AddWebhookAsync(siteId, _receiver.Url("/failing"), ["lead.captured"], token: "token-of-a-fading-endpoint");
        _receiver.Answer = (request, _) => Task.FromResult(request.Path == "/gone" ? 410 : request.Path == "/failing" ? 500 : 200);
        await using (var connection = _leads.Database())
        {
            // It has failed since long before this delivery.
            await connection.ExecuteAsync("UPDATE webhooks SET failing_since = now() - interval '3 days 1 hour' WHERE id = @failing", new { failing });
        }

        await _leads.CaptureAsync(siteId, "linus@kernel.org");

        var webhooks = await Eventually.ReturnsAsync(async () =>
            await (await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/webhooks", token: "token-of-a-fading-endpoint")).Content.ReadFromJsonAsync<JsonElement>(),
            list => list.EnumerateArray().All(hook => !hook.GetProperty("enabled").GetBoolean()));
        var goneView = webhooks.EnumerateArray().Single(hook => hook.GetProperty("webhookId").GetGuid() == gone);
        var failingView = webhooks.EnumerateArray().Single(hook => hook.GetProperty("webhookId").GetGuid() == failing);
        Assert.False(goneView.GetProperty("enabled").GetBoolean());
        Assert.Contains("410 Gone", goneView.GetProperty("disabledReason").GetString());
        Assert.False(failingView.GetProperty("enabled").GetBoolean());
        Assert.Contains("failed for 3 days", failingView.GetProperty("disabledReason").GetString());
        Assert.Single(_receiver.Received, hook => hook.Path == "/gone");

        // Disabled: a new lead is not recorded for it, a test is refused; enabled again, it gets the next.
        using var refused = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks/{gone}/test", token: "token-of-a-fading-endpoint");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        _receiver.Answer = (_, _) => Task.FromResult(200);
        using var enabled = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks/{gone}/enable", token: "token-of-a-fading-endpoint");
        Assert.True((await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        await _leads.CaptureAsync(siteId, "ken@bell-labs.com");
        Assert.Single(await ProcessedAsync("/gone", 1));
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_and_a_redelivery_keeps_its_id()
    {
        var siteId = await _leads.SiteAsync("token-of-a-rotating-owner");
        var (webhookId, oldSecret) = await _leads.AddWebhookAsync(siteId, _receiver.Url("/rotating"), ["lead.captured"], token: "token-of-a-rotating-owner");
        using var rotation = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks/{webhookId}/rotate-secret", token: "token-of-a-rotating-owner");
        var newSecret = (await rotation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        await _leads.CaptureAsync(siteId, "barbara@liskov.org");
        var first = Assert.Single(await ProcessedAsync("/rotating", 1));
        Assert.Equal(2, first.Signature!.Split(' ').Length);
        Assert.True(SpecificationSignature.Verifies(newSecret, first));
        Assert.True(SpecificationSignature.Verifies(oldSecret, first));

        // Once the old secret's day is over, only the new one signs.
        await using (var connection = _leads.Database())
        {
            await connection.ExecuteAsync("UPDATE webhooks SET previous_secret_expires_at = now() - interval '1 second' WHERE id = @webhookId", new { webhookId });
        }

        var deliveryId = (await _leads.DeliveriesAsync(siteId, webhookId, token: "token-of-a-rotating-owner"))[0].GetProperty("deliveryId").GetGuid();
        using var redeliver = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", token: "token-of-a-rotating-owner");
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var again = await Eventually.ReturnsAsync(() => Task.FromResult(_receiver.Received.Where(hook => hook.Path == "/rotating").ToList()), hooks => hooks.Count == 2);
        Assert.Equal(first.Id, again[1].Id);
        Assert.True(SpecificationSignature.Verifies(newSecret, again[1]));
        Assert.False(SpecificationSignature.Verifies(oldSecret, again[1]));
        // A receiver that dedupes by webhook-id processes it once.
        Assert.Single(_receiver.Processed, hook => hook.Path == "/rotating");
    }

    [Fact]
    public async Task A_slow_endpoint_holds_up_only_its_own_deliveries()
    {
        var slowSite = await _leads.SiteAsync("token-of-a-slow-endpoint");
        var quickSite = await _leads.SiteAsync("token-of-a-quick-endpoint");
        await _leads.AddWebhookAsync(slowSite, _receiver.Url("/slow"), ["lead.captured"], token: "token-of-a-slow-endpoint");
        await _leads.AddWebhookAsync(quickSite, _receiver.Url("/quick"), ["lead.captured"], token: "token-of-a-quick-endpoint");
        var release = new TaskCompletionSource();
        _receiver.Answer = async (request, cancel) =>
        {
            if (request.Path == "/slow")
            {
                await release.Task.WaitAsync(cancel);
            }

            return 200;
        };

        for (var n = 0; n < 20; n++)
        {
            await _leads.CaptureAsync(slowSite, $"waiting{n}@example.com");
        }

        await _leads.CaptureAsync(quickSite, "quick@example.com");

        Assert.Single(await ProcessedAsync("/quick", 1));
        Assert.DoesNotContain(_receiver.Processed, hook => hook.Path == "/slow");
        release.SetResult();
        Assert.Equal(20, (await ProcessedAsync("/slow", 20)).Count);
    }

    [Fact]
    public async Task Deliveries_recorded_before_a_restart_are_delivered_after_it()
    {
        var siteId = await _leads.SiteAsync("token-of-a-restarted-service");
        var (webhookId, secret) = await _leads.AddWebhookAsync(siteId, _receiver.Url("/restart"), ["lead.captured"], token: "token-of-a-restarted-service");
        _receiver.Answer = (request, _) => Task.FromResult(request.Path == "/restart" ? 503 : 200);

        // A replica records the lead, fails to deliver it, records the failed attempt, and stops.
        var replica = _leads.Service.Replica();
        using (var client = await replica.CreateReadyClientAsync())
        {
            await client.PostAsJsonAsync("/api/leads/capture", new { email = "restart@example.com", siteId });
            await Eventually.ReturnsAsync(async () => await _leads.DeliveriesAsync(siteId, webhookId, token: "token-of-a-restarted-service"),
                deliveries => deliveries.GetArrayLength() > 0 && deliveries[0].GetProperty("attempts").GetInt32() > 0);
        }

        await replica.DisposeAsync();
        _receiver.Answer = (_, _) => Task.FromResult(200);

        var delivered = Assert.Single(await ProcessedAsync("/restart", 1));
        Assert.True(SpecificationSignature.Verifies(secret, delivered));
        // The attempt is recorded once the receiver has answered, so the record may trail the delivery.
        await Eventually.ReturnsAsync(async () => await _leads.DeliveriesAsync(siteId, webhookId, token: "token-of-a-restarted-service"),
            deliveries => deliveries[0].GetProperty("attempts").GetInt32() >= 2 && deliveries[0].GetProperty("status").GetString() == "delivered");
    }
}
