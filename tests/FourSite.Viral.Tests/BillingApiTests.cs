using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using MassTransit;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>Pro checkout against a local fake of Stripe's API, and Stripe's signed, retried webhook.</summary>
public sealed class BillingApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "billing-operator-key";
    private readonly StripeFake _stripe = new();
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName,
            new Dictionary<string, string?>(_stripe.Settings) { ["FourSite:Operator:ApiKey"] = OperatorKey });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        _stripe.Dispose();
    }

    /// <summary>A site generated and announced, as the class's service learns it from the broker.</summary>
    private Task<(Guid OwnerId, string Token)> Generated(Guid site) => GeneratedSites.AnnounceAsync(_service, _client, site);

    /// <summary>
    /// A site known to another instance of the service, written straight into its database: an announcement would go
    /// to whichever instance takes it from the shared queue.
    /// </summary>
    private static async Task<string> Known(ServiceFactory<Program> service, Guid site)
    {
        var token = $"owner-token-{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(service.DatabaseConnectionString);
        await connection.ExecuteAsync("INSERT INTO viral_scores (website_id, slug, owner_id, owner_token_hash, site_created_at) VALUES (@site, 'kite-9z', @owner, @hash, now())",
            new { site, owner = Guid.NewGuid(), hash = Credentials.Hash(token) });
        return token;
    }

    private static HttpRequestMessage Checkout(Guid site, string? token, string plan = "pro", string? referralCode = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/checkout") { Content = JsonContent.Create(new { siteId = site, plan, referralCode }) };
        if (token is not null)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
        }

        return request;
    }

    private async Task<JsonElement> OperatorGetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Api-Key", OperatorKey } } };
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> OperatorPostAsync(string path, object body) =>
        _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body), Headers = { { "X-Api-Key", OperatorKey } } });

    private async Task<HttpResponseMessage> Deliver(string payload, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", signature ?? StripeFake.Sign(payload));
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task The_owner_starts_a_checkout_and_gets_Stripes_url()
    {
        var site = Guid.NewGuid();
        var (ownerId, token) = await Generated(site);

        using var response = await _client.SendAsync(Checkout(site, token, "pro", "abcd2345xy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = body.GetProperty("sessionId").GetString()!;
        Assert.Equal($"https://checkout.stripe.com/c/pay/{sessionId}", body.GetProperty("checkoutUrl").GetString());
        var sent = Assert.Single(_stripe.CheckoutRequests, form => form.GetValueOrDefault("metadata[site_id]") == site.ToString());
        Assert.Equal(ownerId.ToString(), sent["metadata[owner_id]"]);
        Assert.Equal("abcd2345xy", sent["metadata[referral_code]"]);
        Assert.Equal("1900", sent["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("subscription", sent["mode"]);
        Assert.StartsWith("https://4site.example/dashboard", sent["success_url"]);
    }

    [Fact]
    public async Task Checkout_is_for_the_sites_owner_only()
    {
        var site = Guid.NewGuid();
        var other = Guid.NewGuid();
        await Generated(site);
        var (_, otherToken) = await Generated(other);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(Checkout(site, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(Checkout(site, otherToken))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(Checkout(Guid.NewGuid(), otherToken))).StatusCode);
        using var badPlan = await _client.SendAsync(Checkout(other, otherToken, "platinum"));
        Assert.Equal(HttpStatusCode.BadRequest, badPlan.StatusCode);
        Assert.True((await badPlan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("plan", out _));
    }

    [Fact]
    public async Task Without_a_key_checkout_says_billing_is_not_configured()
    {
        await using var unconfigured = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName);
        using var client = await unconfigured.CreateReadyClientAsync();
        var site = Guid.NewGuid();
        var token = await Known(unconfigured, site);

        using var response = await client.SendAsync(Checkout(site, token));
        using var webhook = await client.PostAsync("/api/billing/webhook", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("billing_not_configured", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, webhook.StatusCode);
    }

    [Fact]
    public async Task A_failing_Stripe_is_a_502_problem()
    {
        using var failing = new StripeFake();
        failing.FailCheckouts(HttpStatusCode.InternalServerError);
        await using var service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, failing.Settings);
        using var client = await service.CreateReadyClientAsync();
        var site = Guid.NewGuid();
        var token = await Known(service, site);

        using var response = await client.SendAsync(Checkout(site, token));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("billing_unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_webhook_with_a_wrong_signature_is_rejected_and_records_nothing()
    {
        var payload = StripeFake.CheckoutCompleted("evt_forged", "cs_forged", new Dictionary<string, string> { ["site_id"] = Guid.NewGuid().ToString() });

        using var forged = await Deliver(payload, StripeFake.Sign(payload, "whsec_someone_else"));
        using var unsigned = await Deliver(payload, "");
        using var stale = await Deliver(payload, StripeFake.Sign(payload, at: DateTimeOffset.UtcNow.AddHours(-1)));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal("invalid_signature", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM stripe_events WHERE id = 'evt_forged'"));
    }

    [Fact]
    public async Task A_paid_checkout_records_the_upgrade_and_the_referrers_commission_once()
    {
        var referrerSite = Guid.NewGuid();
        var (referrerId, referrerToken) = await Generated(referrerSite);
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", $"Bearer {referrerToken}" } } };
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        var site = Guid.NewGuid();
        var (ownerId, _) = await Generated(site);
        var metadata = new Dictionary<string, string> { ["site_id"] = site.ToString(), ["owner_id"] = ownerId.ToString(), ["plan"] = "pro", ["referral_code"] = code };
        var payload = StripeFake.CheckoutCompleted("evt_paid_1", "cs_paid_1", metadata);

        using var first = await Deliver(payload);
        using var retried = await Deliver(payload);
        using var sameSession = await Deliver(StripeFake.CheckoutCompleted("evt_paid_2", "cs_paid_1", metadata));

        Assert.Equal("recorded", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal("alreadyhandled", (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.OK, sameSession.StatusCode);
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM upgrades WHERE checkout_session_id = 'cs_paid_1'"));
        var commission = await connection.QuerySingleAsync<(Guid Referrer, Guid Referred, decimal Rate, long Amount)>(
            "SELECT referrer_owner_id, referred_owner_id, rate, amount_cents FROM commissions WHERE referral_code = @code", new { code });
        Assert.Equal((referrerId, ownerId, 0.20m, 380L), commission);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Viral.SiteUpgraded%'"));
        var stats = await _client.GetFromJsonAsync<JsonElement>($"/api/referrals/{code}");
        Assert.Equal(1, stats.GetProperty("upgrades").GetInt32());
    }

    [Fact]
    public async Task Nobody_earns_a_commission_on_their_own_upgrade()
    {
        var site = Guid.NewGuid();
        var (ownerId, token) = await Generated(site);
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", $"Bearer {token}" } } };
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        var metadata = new Dictionary<string, string> { ["site_id"] = site.ToString(), ["owner_id"] = ownerId.ToString(), ["plan"] = "pro-annual", ["referral_code"] = code };

        using var response = await Deliver(StripeFake.CheckoutCompleted("evt_self", "cs_self", metadata, 19_000));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM upgrades WHERE checkout_session_id = 'cs_self'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM commissions WHERE referral_code = @code", new { code }));
    }

    [Fact]
    public async Task An_upgrade_from_the_network_the_code_was_shared_from_holds_its_commission_until_an_operator_decides()
    {
        var referrerSite = Guid.NewGuid();
        var (referrerId, referrerToken) = await Generated(referrerSite);
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", $"Bearer {referrerToken}" } } };
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.ExecuteAsync("INSERT INTO shares (id, website_id, platform, share_url, referral_code, client_network) VALUES (@id, @site, 'twitter', 'https://x.example', @code, '203.0.113.0/24')",
            new { id = Guid.NewGuid(), site = referrerSite, code });
        var site = Guid.NewGuid();
        var (ownerId, _) = await Generated(site);
        var metadata = new Dictionary<string, string>
        {
            ["site_id"] = site.ToString(), ["owner_id"] = ownerId.ToString(), ["plan"] = "pro", ["referral_code"] = code, ["client_network"] = "203.0.113.0/24",
        };

        using var response = await Deliver(StripeFake.CheckoutCompleted("evt_sock_puppet", "cs_sock_puppet", metadata));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM upgrades WHERE checkout_session_id = 'cs_sock_puppet'"));
        var commissionId = await connection.QuerySingleAsync<Guid>("SELECT id FROM commissions WHERE referral_code = @code AND hold_reason = 'same_network'", new { code });

        // Held: listed for operators, and not payable even once its refund window has passed.
        await connection.ExecuteAsync("UPDATE commissions SET payable_at = now() - interval '1 day' WHERE id = @commissionId", new { commissionId });
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync("/api/commissions/held")).StatusCode);
        var held = await OperatorGetAsync("/api/commissions/held");
        Assert.Contains(held.EnumerateArray(), entry => entry.GetProperty("commissionId").GetGuid() == commissionId && entry.GetProperty("holdReason").GetString() == "same_network");
        Assert.DoesNotContain((await OperatorGetAsync("/api/commissions/payouts")).EnumerateArray(), payout => payout.GetProperty("referrerId").GetGuid() == referrerId);
        using (var noReason = await OperatorPostAsync($"/api/commissions/{commissionId}/release", new { reason = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }

        using (var released = await OperatorPostAsync($"/api/commissions/{commissionId}/release", new { reason = "Same office, different people" }))
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        }

        var owed = (await OperatorGetAsync("/api/commissions/payouts")).EnumerateArray().Single(payout => payout.GetProperty("referrerId").GetGuid() == referrerId);
        Assert.Equal(380, owed.GetProperty("amountCents").GetInt64());
        // A released commission is no longer held: it cannot be reversed as one.
        using var late = await OperatorPostAsync($"/api/commissions/{commissionId}/reverse", new { reason = "too late" });
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
    }

    [Fact]
    public async Task A_held_commission_an_operator_reverses_is_never_paid()
    {
        var referrerSite = Guid.NewGuid();
        var (_, referrerToken) = await Generated(referrerSite);
        using var issue = new HttpRequestMessage(HttpMethod.Post, "/api/referrals") { Headers = { { "Authorization", $"Bearer {referrerToken}" } } };
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.ExecuteAsync("INSERT INTO shares (id, website_id, platform, share_url, referral_code, client_network) VALUES (@id, @site, 'twitter', 'https://x.example', @code, '198.51.100.0/24')",
            new { id = Guid.NewGuid(), site = referrerSite, code });
        var site = Guid.NewGuid();
        var (ownerId, _) = await Generated(site);
        var metadata = new Dictionary<string, string>
        {
            ["site_id"] = site.ToString(), ["owner_id"] = ownerId.ToString(), ["plan"] = "pro", ["referral_code"] = code, ["client_network"] = "198.51.100.0/24",
        };
        (await Deliver(StripeFake.CheckoutCompleted("evt_sock_puppet_2", "cs_sock_puppet_2", metadata))).EnsureSuccessStatusCode();
        var commissionId = await connection.QuerySingleAsync<Guid>("SELECT id FROM commissions WHERE referral_code = @code", new { code });
        await connection.ExecuteAsync("UPDATE commissions SET payable_at = now() - interval '1 day' WHERE id = @commissionId", new { commissionId });

        using var reversed = await OperatorPostAsync($"/api/commissions/{commissionId}/reverse", new { reason = "Sock puppet" });
        Assert.Equal(HttpStatusCode.OK, reversed.StatusCode);

        Assert.Equal("Sock puppet", await connection.ExecuteScalarAsync<string>("SELECT reversal_reason FROM commissions WHERE id = @commissionId", new { commissionId }));
        using var payout = await OperatorPostAsync("/api/commissions/payouts", new { batchId = $"batch-{Guid.NewGuid():N}" });
        Assert.True(payout.IsSuccessStatusCode);
        Assert.Null(await connection.ExecuteScalarAsync<Guid?>("SELECT payout_id FROM commissions WHERE id = @commissionId", new { commissionId }));
        Assert.DoesNotContain((await OperatorGetAsync("/api/commissions/held")).EnumerateArray(), entry => entry.GetProperty("commissionId").GetGuid() == commissionId);
        using var again = await OperatorPostAsync($"/api/commissions/{commissionId}/release", new { reason = "changed my mind" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
