using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Metrics.Alerts;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>
/// Alerts reach the channels their rules name, as operators configured them: two Slack channels each get only their
/// rules; PagerDuty is triggered and resolved under one dedup key; a critical alert still firing is sent again; a
/// silenced rule is shown but not sent; a channel that is down gets the page once it is back. Releases are recorded and
/// announced: rollbacks to the critical channel, releases to the alerts channel.
/// </summary>
public sealed class AlertChannelsTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-alert-channel-tests";
    private readonly AlertWebhookFake _critical = new();
    private readonly AlertWebhookFake _alerts = new();
    private readonly AlertWebhookFake _pagerDuty = new();
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
            ["FourSite:Metrics:RollupInterval"] = "01:00:00",
            ["FourSite:Metrics:EvaluationInterval"] = "01:00:00",
            ["FourSite:Metrics:RumFlushInterval"] = "01:00:00",
            ["FourSite:Alerts:Channels:slack-critical:Type"] = "slack",
            ["FourSite:Alerts:Channels:slack-critical:Url"] = _critical.Url,
            ["FourSite:Alerts:Channels:slack-alerts:Type"] = "slack",
            ["FourSite:Alerts:Channels:slack-alerts:Url"] = _alerts.Url,
            ["FourSite:Alerts:Channels:pagerduty:Type"] = "pagerduty",
            ["FourSite:Alerts:Channels:pagerduty:RoutingKey"] = "routing-key-of-the-tests",
            ["FourSite:Alerts:PagerDutyUrl"] = _pagerDuty.Url,
            ["FourSite:Alerts:DeliveryPollInterval"] = "00:00:00.100",
            // Every round counts as a repeat of a critical alert still firing.
            ["FourSite:Alerts:RepeatInterval"] = "00:00:00",
        });
        _client = await _service.CreateReadyClientAsync();
        _client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        // The service's own first round of the rules runs at start: the tests run theirs once it is over.
        await using var connection = Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM scheduled_runs WHERE task = 'evaluate')"), done => done);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        _critical.Dispose();
        _alerts.Dispose();
        _pagerDuty.Dispose();
    }

    private AlertMonitor Monitor => _service.Services.GetRequiredService<AlertMonitor>();

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    private static Task<IReadOnlyList<string>> Eventual(Func<IReadOnlyList<string>> read, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(read()), posts => posts.Count >= count);

    private async Task DatabaseFailsAsync()
    {
        await using var connection = Database();
        // Each test starts from no alerts, deliveries or silences.
        await connection.ExecuteAsync("DELETE FROM alerts; DELETE FROM alert_deliveries; DELETE FROM alert_silences");
        await connection.ExecuteAsync("""INSERT INTO health_samples (sampled_at, healthy, components) VALUES (now() - interval '1 minute', false, '{"database":{"status":"unhealthy"}}')""");
    }

    private async Task DatabaseRecoversAsync()
    {
        await using var connection = Database();
        await connection.ExecuteAsync("DELETE FROM health_samples WHERE NOT healthy");
    }

    [Fact]
    public async Task Each_channel_gets_its_rules_pagerduty_is_triggered_repeated_and_resolved_under_one_key_and_a_silence_holds_it_back()
    {
        await DatabaseFailsAsync();
        await Monitor.RunOnceAsync(CancellationToken.None);

        var critical = await Eventual(() => _critical.PostsAbout("database_errors"), 1);
        Assert.Contains("database_errors raised", critical[0], StringComparison.Ordinal);
        var trigger = JsonDocument.Parse((await Eventual(() => _pagerDuty.PostsAbout("database_errors"), 1))[0]).RootElement;
        Assert.Equal("trigger", trigger.GetProperty("event_action").GetString());
        Assert.Equal("routing-key-of-the-tests", trigger.GetProperty("routing_key").GetString());
        Assert.Equal("foursite/database_errors", trigger.GetProperty("dedup_key").GetString());
        Assert.Equal("critical", trigger.GetProperty("payload").GetProperty("severity").GetString());
        // slack-alerts carries the warnings only.
        Assert.Empty(_alerts.PostsAbout("database_errors"));

        // Still firing at the next round: a critical alert is sent again, to PagerDuty under the same key.
        await Monitor.RunOnceAsync(CancellationToken.None);
        var repeated = await Eventual(() => _pagerDuty.PostsAbout("database_errors"), 2);
        Assert.Equal("foursite/database_errors", JsonDocument.Parse(repeated[1]).RootElement.GetProperty("dedup_key").GetString());
        Assert.Contains("database_errors repeated", (await Eventual(() => _critical.PostsAbout("database_errors"), 2))[1], StringComparison.Ordinal);

        // An operator silences the rule: the next repeat is evaluated and shown as silenced, and not sent.
        using (var silenced = await _client.PostAsJsonAsync("/api/alerts/silences", new { rule = "database_errors", duration = "01:00:00", reason = "Failing over the primary" }))
        {
            Assert.Equal(HttpStatusCode.Created, silenced.StatusCode);
        }

        await Monitor.RunOnceAsync(CancellationToken.None);
        var open = await _client.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alert = open.GetProperty("data").EnumerateArray().Single(row => row.GetProperty("rule").GetString() == "database_errors");
        Assert.Equal(JsonValueKind.String, alert.GetProperty("silencedUntil").ValueKind);
        await using (var connection = Database())
        {
            Assert.Equal(4, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM alert_deliveries WHERE rule_name = 'database_errors'"));
        }

        // The silence is lifted; the database recovers: PagerDuty resolves the incident it opened.
        var silence = (await _client.GetFromJsonAsync<JsonElement>("/api/alerts/silences")).EnumerateArray().Single(row => row.GetProperty("active").GetBoolean());
        Assert.Equal("operator key", silence.GetProperty("createdBy").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/alerts/silences/{silence.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/alerts/silences/{silence.GetProperty("id").GetGuid()}")).StatusCode);
        await DatabaseRecoversAsync();
        await Monitor.RunOnceAsync(CancellationToken.None);
        var resolve = JsonDocument.Parse((await Eventual(() => _pagerDuty.PostsAbout("database_errors"), 3))[2]).RootElement;
        Assert.Equal("resolve", resolve.GetProperty("event_action").GetString());
        Assert.Equal("foursite/database_errors", resolve.GetProperty("dedup_key").GetString());
        await Eventual(() => _critical.PostsAbout("database_errors resolved"), 1);
    }

    [Fact]
    public async Task A_silence_is_a_rule_a_reason_and_at_most_a_day()
    {
        foreach (var bad in new object[]
        {
            new { rule = "no_such_rule", duration = "01:00:00", reason = "x" },
            new { rule = "error_rate", duration = "1.00:00:01", reason = "x" },
            new { rule = "error_rate", duration = "soon", reason = "x" },
            new { rule = "error_rate", duration = "00:10:00", reason = "" },
        })
        {
            using var refused = await _client.PostAsJsonAsync("/api/alerts/silences", bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var anonymous = _service.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/alerts/silences", new { rule = "error_rate", duration = "01:00:00", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/alerts/silences")).StatusCode);
        using var longest = await _client.PostAsJsonAsync("/api/alerts/silences", new { rule = "error_rate", duration = "1.00:00:00", reason = "Planned maintenance" });
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task A_channel_that_is_down_gets_the_page_once_it_is_back_and_other_channels_are_not_held_up()
    {
        _critical.Answer(503);
        await DatabaseFailsAsync();
        await Monitor.RunOnceAsync(CancellationToken.None);

        // PagerDuty is paged while Slack refuses.
        await Eventual(() => _pagerDuty.Accepted().Where(body => body.Contains("database_errors", StringComparison.Ordinal)).ToList(), 1);
        await Eventual(() => _critical.PostsAbout("database_errors raised"), 1);
        Assert.DoesNotContain(_critical.Accepted(), body => body.Contains("database_errors raised", StringComparison.Ordinal));

        _critical.Answer(200);
        await Eventually.ReturnsAsync(() => Task.FromResult(_critical.Accepted().Where(body => body.Contains("database_errors raised", StringComparison.Ordinal)).ToList()),
            posts => posts.Count >= 1, TimeSpan.FromSeconds(30));
        await using (var connection = Database())
        {
            // Recorded once the receiver's answer is in (the refused posts were retried, by the client or the dispatcher).
            var status = await Eventually.ReturnsAsync(
                () => connection.QuerySingleAsync<string>("SELECT status FROM alert_deliveries WHERE channel = 'slack-critical'"), row => row == "delivered");
            Assert.Equal("delivered", status);
        }

        await DatabaseRecoversAsync();
    }

    [Fact]
    public async Task A_rollback_is_recorded_with_its_decisions_and_announced_on_the_critical_channel_a_release_on_the_alerts_channel()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        using var rolledBack = await _client.PostAsJsonAsync("/api/operations/releases", new
        {
            kind = "release", outcome = "rolled_back", fromSlot = "blue", toSlot = "green", fromImage = "1.0.0", toImage = $"1.1.0-{marker}",
            reason = "deployment health of green decided rollback", startedAt,
            decisions = new[] { new { at = startedAt.AddMinutes(1), slot = "green", decision = "rollback", detail = "error rate 9.0 % is above 5 %" } },
        });
        using var released = await _client.PostAsJsonAsync("/api/operations/releases", new
        {
            kind = "release", outcome = "released", fromSlot = "green", toSlot = "blue", fromImage = "1.0.0", toImage = $"1.2.0-{marker}", reason = "healthy through the watch",
        });

        Assert.Equal(HttpStatusCode.Created, rolledBack.StatusCode);
        Assert.Equal(HttpStatusCode.Created, released.StatusCode);
        var rollbackPost = Assert.Single(await Eventual(() => _critical.PostsAbout($"1.1.0-{marker}"), 1));
        Assert.Contains("release rolled_back blue → green", JsonDocument.Parse(rollbackPost).RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(await Eventual(() => _alerts.PostsAbout($"1.2.0-{marker}"), 1));
        Assert.Empty(_critical.PostsAbout($"1.2.0-{marker}"));
        Assert.Empty(_alerts.PostsAbout($"1.1.0-{marker}"));

        var history = await _client.GetFromJsonAsync<JsonElement>("/api/operations/releases");
        var recorded = history.EnumerateArray().Single(release => release.GetProperty("toImage").GetString() == $"1.1.0-{marker}");
        Assert.Equal("operator key", recorded.GetProperty("operator").GetString());
        Assert.Equal("rollback", recorded.GetProperty("decisions")[0].GetProperty("decision").GetString());
        Assert.Equal("error rate 9.0 % is above 5 %", recorded.GetProperty("decisions")[0].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Only_operators_read_or_record_releases_and_a_bad_record_is_refused()
    {
        using var anonymous = _service.CreateClient();
        using var wrongKey = _service.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-operator-key");
        var record = new { kind = "switch", outcome = "switched", reason = "manual" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/operations/releases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrongKey.GetAsync("/api/operations/releases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/operations/releases", record)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrongKey.PostAsJsonAsync("/api/operations/releases", record)).StatusCode);
        using var invalid = await _client.PostAsJsonAsync("/api/operations/releases", new { kind = "party", outcome = "released", reason = "x\u0000y" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/operations/releases?limit=0")).StatusCode);
    }
}
