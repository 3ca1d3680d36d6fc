using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using FourSite.Viral.Commissions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>
/// A Pro subscription's whole life from Stripe's signed events (paid, renewed, failing, changed, cancelled, refunded,
/// disputed), each event once, reflected in the site's Pro state and the referrer's commission ledger to the cent.
/// </summary>
public sealed class SubscriptionLifecycleTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-tests";
    private readonly StripeFake _stripe = new();
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>(TestAccounts.Settings.Concat(_stripe.Settings))
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
            ["FourSite:Viral:FeatureThreshold"] = "5",
            ["FourSite:Payouts:MinimumCents"] = "100",
        });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        _stripe.Dispose();
    }

    private async Task<string> Deliver(string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", StripeFake.Sign(payload));
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    /// <summary>A referrer (an account with a site and a code) and a buyer's site; answers the code and the subscription's metadata.</summary>
    private async Task<(Guid Referrer, Guid Site, Dictionary<string, string> Metadata)> ReferredSubscriptionAsync(DateTimeOffset? referrerSince = null)
    {
        var (referrer, referrerSite, site) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await GeneratedSites.AnnounceAsync(_service, _client, referrerSite, referrerSince, accountId: referrer);
        var (owner, _) = await GeneratedSites.AnnounceAsync(_service, _client, site);
        using var issue = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals?siteId={referrerSite}").As("viral", referrer);
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        return (referrer, site, new Dictionary<string, string> { ["site_id"] = site.ToString(), ["owner_id"] = owner.ToString(), ["plan"] = "pro", ["referral_code"] = code });
    }

    private async Task<JsonElement> CommissionsOf(Guid account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/commissions").As("viral", account);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static long Total(JsonElement commissions, string state) =>
        commissions.GetProperty("totals").EnumerateArray().Sum(totals => totals.GetProperty($"{state}Cents").GetInt64());

    /// <summary>The site's Pro state as last announced (the latest SiteProChanged in the outbox).</summary>
    private async Task<JsonElement> LastAnnouncedAsync(Guid site)
    {
        await using var connection = Database();
        var body = await connection.ExecuteScalarAsync<string>("""
            SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Viral.SiteProChanged,%' AND body->>'siteId' = @site
            ORDER BY id DESC LIMIT 1
            """, new { site = site.ToString() });
        Assert.NotNull(body);
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task Each_paid_invoice_earns_its_referrer_a_commission_once_and_extends_pro_to_the_periods_end()
    {
        var (referrer, site, metadata) = await ReferredSubscriptionAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        Assert.Equal("recorded", await Deliver(StripeFake.CheckoutCompleted("evt_ck_1", "cs_sub_1", metadata, 1_900, "sub_1", "in_first_1", "cus_1")));
        // The first invoice arrives too (the checkout already entered its commission); then a renewal, delivered twice.
        await Deliver(StripeFake.InvoiceEvent("in_first_1", "sub_1", metadata, 1_900, start, start.AddMonths(1), "subscription_create"));
        var renewal = StripeFake.InvoiceEvent("in_renewal_1", "sub_1", metadata, 1_900, start.AddMonths(1), start.AddMonths(2), eventId: "evt_renewal_1");
        Assert.Equal("recorded", await Deliver(renewal));
        Assert.Equal("alreadyhandled", await Deliver(renewal));

        var commissions = await CommissionsOf(referrer);
        var entries = commissions.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, entry => Assert.Equal(380, entry.GetProperty("amountCents").GetInt64()));
        Assert.All(entries, entry => Assert.Equal("pending", entry.GetProperty("state").GetString()));
        Assert.Equal(["in_first_1", "in_renewal_1"], entries.Select(entry => entry.GetProperty("invoiceId").GetString()).Order());
        Assert.Equal(760, Total(commissions, "pending"));

        var pro = await LastAnnouncedAsync(site);
        Assert.Equal("pro", pro.GetProperty("plan").GetString());
        Assert.Equal(start.AddMonths(2).ToUnixTimeSeconds(), pro.GetProperty("proUntil").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(start.AddMonths(2).ToUnixTimeSeconds(), pro.GetProperty("renewsAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_failed_renewal_keeps_pro_for_a_7_day_grace_period_and_a_later_payment_ends_it()
    {
        var (_, site, metadata) = await ReferredSubscriptionAsync();
        var start = DateTimeOffset.UtcNow.AddMonths(-1).AddHours(-1);
        await Deliver(StripeFake.InvoiceEvent("in_grace_1", "sub_grace", metadata, 1_900, start, start.AddMonths(1), "subscription_create"));
        var failedAt = DateTimeOffset.UtcNow;

        await Deliver(StripeFake.InvoiceEvent("in_grace_2", "sub_grace", metadata, 1_900, start.AddMonths(1), start.AddMonths(2), type: "invoice.payment_failed", at: failedAt));
        // Stripe retries the card: a second failure does not move the grace period.
        await Deliver(StripeFake.InvoiceEvent("in_grace_2", "sub_grace", metadata, 1_900, start.AddMonths(1), start.AddMonths(2), type: "invoice.payment_failed", at: failedAt.AddDays(3)));

        var grace = await LastAnnouncedAsync(site);
        Assert.Equal(failedAt.AddDays(7).ToUnixTimeSeconds(), grace.GetProperty("graceUntil").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(failedAt.AddDays(7).ToUnixTimeSeconds(), grace.GetProperty("proUntil").GetDateTimeOffset().ToUnixTimeSeconds());

        await Deliver(StripeFake.InvoiceEvent("in_grace_2", "sub_grace", metadata, 1_900, start.AddMonths(1), start.AddMonths(2), at: failedAt.AddDays(4)));
        var paid = await LastAnnouncedAsync(site);
        Assert.Equal(JsonValueKind.Null, paid.GetProperty("graceUntil").ValueKind);
        Assert.Equal(start.AddMonths(2).ToUnixTimeSeconds(), paid.GetProperty("proUntil").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Plan_changes_and_cancellation_at_the_periods_end_are_recorded_and_deletion_ends_pro()
    {
        var (_, site, metadata) = await ReferredSubscriptionAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        var periodEnd = start.AddYears(1);
        await Deliver(StripeFake.InvoiceEvent("in_change_1", "sub_change", metadata, 1_900, start, start.AddMonths(1), "subscription_create"));

        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.updated", "sub_change", metadata, "active", "year", periodEnd, at: DateTimeOffset.UtcNow.AddSeconds(-30)));
        var yearly = await LastAnnouncedAsync(site);
        Assert.Equal("pro-annual", yearly.GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Null, yearly.GetProperty("cancelAt").ValueKind);

        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.updated", "sub_change", metadata, "active", "year", periodEnd, cancelAtPeriodEnd: true,
            at: DateTimeOffset.UtcNow.AddSeconds(-20)));
        // An older update arriving late changes nothing.
        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.updated", "sub_change", metadata, "active", "month", periodEnd, at: DateTimeOffset.UtcNow.AddSeconds(-25)));
        var cancelling = await LastAnnouncedAsync(site);
        Assert.Equal("pro-annual", cancelling.GetProperty("plan").GetString());
        Assert.Equal(periodEnd.ToUnixTimeSeconds(), cancelling.GetProperty("cancelAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(JsonValueKind.Null, cancelling.GetProperty("renewsAt").ValueKind);

        var endedAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.deleted", "sub_change", metadata, "canceled", "year", periodEnd, endedAt: endedAt));
        var ended = await LastAnnouncedAsync(site);
        Assert.True(ended.GetProperty("proUntil").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        // A late payment event of the ended subscription does not bring Pro back.
        await Deliver(StripeFake.InvoiceEvent("in_change_late", "sub_change", metadata, 1_900, start.AddMonths(1), start.AddMonths(2)));
        Assert.True((await LastAnnouncedAsync(site)).GetProperty("proUntil").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Refunds_and_disputes_reverse_the_commission_of_that_payment_to_the_cent()
    {
        var (referrer, _, metadata) = await ReferredSubscriptionAsync();
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        await Deliver(StripeFake.InvoiceEvent("in_refund_full", "sub_refund", metadata, 1_900, start, start.AddMonths(1), "subscription_create"));
        await Deliver(StripeFake.InvoiceEvent("in_refund_part", "sub_refund", metadata, 1_999, start, start.AddMonths(1)));
        await Deliver(StripeFake.InvoiceEvent("in_disputed", "sub_refund", metadata, 1_900, start, start.AddMonths(1)));
        _stripe.AddInvoicePayment("in_refund_full", "pi_full", 1_900);
        _stripe.AddInvoicePayment("in_refund_part", "pi_part", 1_999);
        _stripe.AddInvoicePayment("in_disputed", "pi_disputed", 1_900);

        await Deliver(StripeFake.ChargeRefunded("pi_full", 1_900, 1_900));
        // 1,999 at 20 % earns 400 (399.8 rounded); refunded 1,000 then 1,500 in all: 200 (200.1…) then 300 (300.07…) taken back.
        await Deliver(StripeFake.ChargeRefunded("pi_part", 1_999, 1_000));
        var repeated = StripeFake.ChargeRefunded("pi_part", 1_999, 1_500, eventId: "evt_refund_part_2");
        await Deliver(repeated);
        Assert.Equal("alreadyhandled", await Deliver(repeated));
        await Deliver(StripeFake.DisputeCreated("pi_disputed", 1_900));
        // A refund of a payment no FourSite invoice knows changes nothing.
        Assert.Equal("ignored", await Deliver(StripeFake.ChargeRefunded("pi_unknown", 500, 500)));

        var commissions = await CommissionsOf(referrer);
        var entries = commissions.GetProperty("entries").EnumerateArray().ToList();
        var byInvoice = entries.ToLookup(entry => entry.GetProperty("invoiceId").GetString());
        Assert.Equal("reversed", Assert.Single(byInvoice["in_refund_full"]).GetProperty("state").GetString());
        Assert.Equal("reversed", Assert.Single(byInvoice["in_disputed"]).GetProperty("state").GetString());
        Assert.Equal([-200L, -100L, 400L], byInvoice["in_refund_part"].Select(entry => entry.GetProperty("amountCents").GetInt64()).Order());
        Assert.Equal(100, Total(commissions, "pending"));
        Assert.Equal(760, Total(commissions, "reversed"));
    }

    [Fact]
    public async Task Stripe_unreachable_for_a_refund_defers_the_event_so_its_retry_applies_it()
    {
        var (referrer, _, metadata) = await ReferredSubscriptionAsync();
        await Deliver(StripeFake.InvoiceEvent("in_deferred", "sub_deferred", metadata, 1_900, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1), "subscription_create"));
        var refund = StripeFake.ChargeRefunded("pi_deferred", 1_900, 1_900, eventId: "evt_deferred_refund");
        _stripe.FailInvoicePayments(HttpStatusCode.InternalServerError);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(refund, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", StripeFake.Sign(refund));
        using var deferred = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, deferred.StatusCode);

        _stripe.FailInvoicePayments(null);
        _stripe.AddInvoicePayment("in_deferred", "pi_deferred", 1_900);
        Assert.Equal("recorded", await Deliver(refund));
        Assert.Equal("reversed", (await CommissionsOf(referrer)).GetProperty("entries")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Operators_pay_out_what_is_payable_once_per_batch_and_a_refund_after_payout_is_a_negative_adjustment()
    {
        var (referrer, _, metadata) = await ReferredSubscriptionAsync(referrerSince: DateTimeOffset.UtcNow.AddMonths(-6).AddDays(-10));
        var paidLongAgo = DateTimeOffset.UtcNow.AddDays(-31);
        await Deliver(StripeFake.InvoiceEvent("in_old", "sub_payout", metadata, 1_900, paidLongAgo, paidLongAgo.AddMonths(1), "subscription_create", at: paidLongAgo));
        await Deliver(StripeFake.InvoiceEvent("in_recent", "sub_payout", metadata, 1_900, paidLongAgo.AddMonths(1), paidLongAgo.AddMonths(2)));

        var before = await CommissionsOf(referrer);
        // The rate of the day each was paid: five months with FourSite 31 days ago (25 %), six a month later (30 %).
        var rates = before.GetProperty("entries").EnumerateArray().ToDictionary(entry => entry.GetProperty("invoiceId").GetString()!, entry => entry.GetProperty("rate").GetDecimal());
        Assert.Equal(0.25m, rates["in_old"]);
        Assert.Equal(0.30m, rates["in_recent"]);
        Assert.Equal(475, Total(before, "payable"));
        Assert.Equal(570, Total(before, "pending"));

        using var listing = new HttpRequestMessage(HttpMethod.Get, "/api/commissions/payouts?format=csv") { Headers = { { "X-Api-Key", OperatorKey } } };
        var csv = await (await _client.SendAsync(listing)).Content.ReadAsStringAsync();
        Assert.Contains($"{referrer},account,usd,475,4.75,1", csv);

        // The referrer set up payouts with Stripe, which enabled them.
        using (var onboarding = new HttpRequestMessage(HttpMethod.Post, "/api/payouts/onboarding") { Content = JsonContent.Create(new { }) }.As("viral", referrer))
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(onboarding)).StatusCode);
        }

        await using (var connection = Database())
        {
            var stripeAccount = await connection.ExecuteScalarAsync<string>("SELECT stripe_account_id FROM payout_accounts WHERE account_id = @referrer", new { referrer });
            _stripe.CompleteOnboarding(stripeAccount!);
            Assert.Equal("recorded", await Deliver(_stripe.AccountUpdated(stripeAccount!)));
        }

        var first = await PayoutAsync("2026-12-batch-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await PayoutAsync("2026-12-batch-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var batch = await again.Content.ReadFromJsonAsync<JsonElement>();
        var mine = batch.GetProperty("payouts").EnumerateArray().Single(payout => payout.GetProperty("referrerId").GetGuid() == referrer);
        Assert.Equal((475, "paid"), (mine.GetProperty("amountCents").GetInt64(), mine.GetProperty("outcome").GetString()));
        Assert.Equal(475, Assert.Single(_stripe.Transfers).Amount);
        var after = await CommissionsOf(referrer);
        Assert.Equal(475, Total(after, "paid"));
        Assert.Equal(0, Total(after, "payable"));
        Assert.Equal(570, Total(after, "pending"));

        // Refunded after it was paid out: a negative adjustment, owed back from the next payout.
        _stripe.AddInvoicePayment("in_old", "pi_old", 1_900);
        await Deliver(StripeFake.ChargeRefunded("pi_old", 1_900, 1_900));
        var refunded = await CommissionsOf(referrer);
        Assert.Equal(475, Total(refunded, "paid"));
        Assert.Equal(-475, Total(refunded, "payable"));
        using var owed = new HttpRequestMessage(HttpMethod.Get, "/api/commissions/payouts") { Headers = { { "X-Api-Key", OperatorKey } } };
        var payable = await (await _client.SendAsync(owed)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(payable.EnumerateArray(), payout => payout.GetProperty("referrerId").GetGuid() == referrer);
    }

    private async Task<HttpResponseMessage> PayoutAsync(string batchId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/commissions/payouts") { Content = JsonContent.Create(new { batchId }), Headers = { { "X-Api-Key", OperatorKey } } };
        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task Commissions_are_the_signed_in_referrers_own_and_payouts_are_for_operators_only()
    {
        var (referrer, _, metadata) = await ReferredSubscriptionAsync();
        await Deliver(StripeFake.InvoiceEvent("in_private", "sub_private", metadata, 1_900, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1), "subscription_create"));

        using var anonymous = await _client.GetAsync("/api/commissions");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty((await CommissionsOf(Guid.NewGuid())).GetProperty("entries").EnumerateArray());
        Assert.Single((await CommissionsOf(referrer)).GetProperty("entries").EnumerateArray());
        using var noKey = await _client.GetAsync("/api/commissions/payouts");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/api/commissions/payouts") { Content = JsonContent.Create(new { batchId = "x" }), Headers = { { "X-Api-Key", "wrong" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await _client.SendAsync(wrongKey)).StatusCode);
        using var asReferrer = new HttpRequestMessage(HttpMethod.Post, "/api/commissions/payouts") { Content = JsonContent.Create(new { batchId = "x" }) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(asReferrer.As("viral", referrer))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PayoutAsync(" ")).StatusCode);
        // PostgreSQL text cannot hold a NUL: refused as input, not failed on insert.
        Assert.Equal(HttpStatusCode.BadRequest, (await PayoutAsync("batch\u0000one")).StatusCode);
    }

    [Fact]
    public async Task The_payer_opens_the_billing_portal_and_nobody_else_does_even_a_later_owner()
    {
        var (site, buyer, stranger) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (ownerId, token) = await GeneratedSites.AnnounceAsync(_service, _client, site, accountId: buyer);
        Task<HttpResponseMessage> Portal(Guid? account, string? ownerToken = null) =>
            _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/billing/portal") { Content = JsonContent.Create(new { siteId = site }) }.As("viral", account, ownerToken));

        Assert.Equal(HttpStatusCode.NotFound, (await Portal(buyer)).StatusCode);
        var metadata = new Dictionary<string, string> { ["site_id"] = site.ToString(), ["owner_id"] = ownerId.ToString(), ["plan"] = "pro", ["buyer_account_id"] = buyer.ToString() };
        await Deliver(StripeFake.CheckoutCompleted("evt_portal", "cs_portal", metadata, 1_900, "sub_portal", "in_portal", "cus_portal"));

        using var opened = await Portal(buyer);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.StartsWith("https://billing.stripe.com/", (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
        var form = Assert.Single(_stripe.PortalRequests);
        Assert.Equal("cus_portal", form["customer"]);
        Assert.Equal("https://4site.example/dashboard", form["return_url"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await Portal(stranger)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Portal(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Portal(null, "not-the-owner-token")).StatusCode);
        // The token that came with the site is its owner's, but the account paid: the token holder sees no card.
        Assert.Equal(HttpStatusCode.Forbidden, (await Portal(null, token)).StatusCode);

        // Taken over by its repository's maintainers: they own the site now, but not the buyer's billing.
        var maintainer = Guid.NewGuid();
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteOwnerChanged(site, maintainer, Verified: true, null, DateTimeOffset.UtcNow));
        var afterTakeover = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await Portal(maintainer);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, answer => answer.Body.Contains("not_the_payer", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, afterTakeover.StatusCode);
        Assert.Contains("not_the_payer", afterTakeover.Body);
        Assert.Single(_stripe.PortalRequests);
    }

    [Fact]
    public async Task A_pro_site_is_not_sold_pro_again_and_a_removed_sites_subscription_is_cancelled_at_stripe()
    {
        var site = Guid.NewGuid();
        var (ownerId, token) = await GeneratedSites.AnnounceAsync(_service, _client, site);
        var metadata = new Dictionary<string, string> { ["site_id"] = site.ToString(), ["owner_id"] = ownerId.ToString(), ["plan"] = "pro" };
        await Deliver(StripeFake.InvoiceEvent("in_removed", "sub_removed", metadata, 1_900, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1), "subscription_create"));
        using (var again = new HttpRequestMessage(HttpMethod.Post, "/api/billing/checkout") { Content = JsonContent.Create(new { siteId = site, plan = "pro-annual" }) })
        {
            again.Headers.Add("Authorization", $"Bearer {token}");
            using var refused = await _client.SendAsync(again);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("already_pro", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        await GeneratedSites.RemoveAsync(_service, _client, site);
        Assert.Contains("sub_removed", await Eventually.ReturnsAsync(() => Task.FromResult(_stripe.CancelledSubscriptions), cancelled => cancelled.Contains("sub_removed")));
    }

    [Fact]
    public async Task Stripe_moving_the_period_on_before_the_renewal_is_paid_does_not_extend_pro()
    {
        var (_, site, metadata) = await ReferredSubscriptionAsync();
        var start = DateTimeOffset.UtcNow.AddMonths(-1).AddHours(-1);
        await Deliver(StripeFake.InvoiceEvent("in_unpaid_1", "sub_unpaid", metadata, 1_900, start, start.AddMonths(1), "subscription_create"));
        var paidUntil = start.AddMonths(1);

        // The renewal: Stripe moves the period on, then the payment fails.
        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.updated", "sub_unpaid", metadata, "active", "month", start.AddMonths(2), at: DateTimeOffset.UtcNow.AddSeconds(-10)));
        Assert.Equal(paidUntil.ToUnixTimeSeconds(), (await LastAnnouncedAsync(site)).GetProperty("proUntil").GetDateTimeOffset().ToUnixTimeSeconds());
        var failedAt = DateTimeOffset.UtcNow;
        await Deliver(StripeFake.InvoiceEvent("in_unpaid_2", "sub_unpaid", metadata, 1_900, start.AddMonths(1), start.AddMonths(2), type: "invoice.payment_failed", at: failedAt));
        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.updated", "sub_unpaid", metadata, "past_due", "month", start.AddMonths(2), at: DateTimeOffset.UtcNow));
        Assert.Equal(failedAt.AddDays(7).ToUnixTimeSeconds(), (await LastAnnouncedAsync(site)).GetProperty("proUntil").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task The_first_invoice_arriving_before_its_checkout_earns_one_commission()
    {
        var (referrer, _, metadata) = await ReferredSubscriptionAsync();
        await Deliver(StripeFake.InvoiceEvent("in_early", "sub_early", metadata, 1_900, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1), "subscription_create"));
        // A checkout event naming no invoice (older API shapes do not).
        await Deliver(StripeFake.CheckoutCompleted("evt_late_checkout", "cs_late", metadata, 1_900, "sub_early", null, "cus_early"));

        var entry = Assert.Single((await CommissionsOf(referrer)).GetProperty("entries").EnumerateArray());
        Assert.Equal("in_early", entry.GetProperty("invoiceId").GetString());
    }

    [Fact]
    public async Task A_pro_site_comes_first_among_featured_sites_while_its_subscription_lasts()
    {
        var (popular, pro) = (Guid.NewGuid(), Guid.NewGuid());
        await GeneratedSites.AnnounceAsync(_service, _client, popular);
        var (proOwner, _) = await GeneratedSites.AnnounceAsync(_service, _client, pro);
        foreach (var (site, shares) in new[] { (popular, 8), (pro, 3) })
        {
            await GeneratedSites.AssessVitalsAsync(_service, _client, site, "good", samples: 24);
            for (var i = 0; i < shares; i++)
            {
                using var shared = await ShareRequests.SendAsync(_client, site, "hackernews", $"session-{Guid.NewGuid():N}");
                Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
            }

            await GeneratedSites.FoldAsync(_service, site);
        }

        async Task<List<Guid>> ShowcaseOrder() => (await _client.GetFromJsonAsync<JsonElement>("/api/showcase")).EnumerateArray()
            .Select(entry => entry.GetProperty("siteId").GetGuid()).Where(site => site == popular || site == pro).ToList();
        Assert.Equal([popular, pro], await ShowcaseOrder());

        var metadata = new Dictionary<string, string> { ["site_id"] = pro.ToString(), ["owner_id"] = proOwner.ToString(), ["plan"] = "pro" };
        await Deliver(StripeFake.CheckoutCompleted("evt_showcase", "cs_showcase", metadata, 1_900, "sub_showcase", "in_showcase", "cus_showcase"));
        Assert.Equal([pro, popular], await ShowcaseOrder());
        var entry = (await _client.GetFromJsonAsync<JsonElement>("/api/showcase")).EnumerateArray().Single(entry => entry.GetProperty("siteId").GetGuid() == pro);
        Assert.True(entry.GetProperty("pro").GetBoolean());

        await Deliver(StripeFake.SubscriptionEvent("customer.subscription.deleted", "sub_showcase", metadata, "canceled", "month", DateTimeOffset.UtcNow.AddMonths(1),
            endedAt: DateTimeOffset.UtcNow.AddSeconds(-1)));
        Assert.Equal([popular, pro], await ShowcaseOrder());
    }

    [Theory]
    [InlineData(1_900, 1_900, 1_900, 1_900)]
    [InlineData(400, 1_000, 1_999, 200)]
    [InlineData(400, 1_500, 1_999, 300)]
    [InlineData(400, 1, 1_999, 0)]
    [InlineData(400, 0, 1_999, 0)]
    [InlineData(400, 5_000, 1_999, 400)]
    [InlineData(5, 1, 2, 3)]
    public void A_reversal_is_the_refunded_share_rounded_half_away_from_zero_and_never_more_than_the_commission(long commission, long refunded, long paid, long expected) =>
        Assert.Equal(expected, CommissionLedger.ReversalCents(commission, refunded, paid));
}
