using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>
/// Referrers paid through Stripe Connect (faked): "Get paid" onboarding and its state from Stripe's events, one transfer
/// per eligible referrer per batch (the rest skipped with reasons), never twice however Stripe answers (slowly, failing
/// once, losing its answer, or the service stopping between Stripe's acceptance and the commit), reversals returning
/// entries to payable, and earnings under an owner link moving to the account that claims the site.
/// </summary>
public sealed class PayoutsTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-payout-tests";
    private readonly StripeFake _stripe = new();
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, Settings());
        _client = await _service.CreateReadyClientAsync();
    }

    private Dictionary<string, string?> Settings(string? schedule = null) => new(TestAccounts.Settings.Concat(_stripe.Settings))
    {
        ["FourSite:Operator:ApiKey"] = OperatorKey,
        ["FourSite:Payouts:MinimumCents"] = "1000",
        ["FourSite:Payouts:Schedule"] = schedule,
    };

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        _stripe.Dispose();
    }

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    private async Task<string> Deliver(string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", StripeFake.Sign(payload));
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }

    private async Task<HttpResponseMessage> AsAsync(HttpMethod method, string path, Guid? account, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) }.As("viral", account);
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> OperatorAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", OperatorKey);
        return await _client.SendAsync(request);
    }

    private async Task<JsonElement> PayoutAccountAsync(Guid account, bool refresh = false)
    {
        using var response = await AsAsync(HttpMethod.Get, $"/api/payouts/account{(refresh ? "?refresh=true" : "")}", account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The referrer goes through "Get paid"; with <paramref name="enable"/>, Stripe then reports payouts enabled.</summary>
    private async Task<string> OnboardAsync(Guid account, bool enable = true)
    {
        using var onboarding = await AsAsync(HttpMethod.Post, "/api/payouts/onboarding", account, new { });
        Assert.Equal(HttpStatusCode.OK, onboarding.StatusCode);
        await using var connection = Database();
        var stripeAccount = await connection.ExecuteScalarAsync<string>("SELECT stripe_account_id FROM payout_accounts WHERE account_id = @account", new { account });
        if (enable)
        {
            _stripe.CompleteOnboarding(stripeAccount!);
            Assert.Equal("recorded", await Deliver(_stripe.AccountUpdated(stripeAccount!)));
        }

        return stripeAccount!;
    }

    /// <summary>A referrer account with a site and a referral code, and a payable commission of <paramref name="cents"/> on a Pro payment it referred.</summary>
    private async Task<(Guid Referrer, string Code)> ReferrerOwedAsync(long cents, Guid? referrer = null, bool anonymous = false)
    {
        var referrerSite = Guid.NewGuid();
        var account = referrer ?? Guid.NewGuid();
        var (_, token) = await GeneratedSites.AnnounceAsync(_service, _client, referrerSite, accountId: anonymous ? null : account);
        using var issue = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals?siteId={referrerSite}").As("viral", anonymous ? null : account, anonymous ? token : null);
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await OwedAsync(code, cents);
        return (account, code);
    }

    /// <summary>Another payment through <paramref name="code"/>, its commission of <paramref name="cents"/> past its refund window.</summary>
    private async Task OwedAsync(string code, long cents)
    {
        var site = Guid.NewGuid();
        var (owner, _) = await GeneratedSites.AnnounceAsync(_service, _client, site);
        var metadata = new Dictionary<string, string> { ["site_id"] = site.ToString(), ["owner_id"] = owner.ToString(), ["plan"] = "pro", ["referral_code"] = code };
        var invoice = $"in_{Guid.NewGuid():N}";
        await Deliver(StripeFake.InvoiceEvent(invoice, $"sub_{Guid.NewGuid():N}", metadata, 1_900, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1), "subscription_create"));
        await using var connection = Database();
        Assert.Equal(1, await connection.ExecuteAsync(
            "UPDATE commissions SET amount_cents = @cents, payable_at = now() - interval '1 day' WHERE invoice_id = @invoice", new { cents, invoice }));
    }

    private async Task<JsonElement> PayAsync(string batchId, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await OperatorAsync(HttpMethod.Post, "/api/commissions/payouts", new { batchId });
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement LineOf(JsonElement batch, Guid referrer) =>
        batch.GetProperty("payouts").EnumerateArray().Single(line => line.GetProperty("referrerId").GetGuid() == referrer);

    private async Task<(long Payable, long Paid)> BalanceAsync(Guid account)
    {
        using var response = await AsAsync(HttpMethod.Get, "/api/commissions", account);
        var totals = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totals").EnumerateArray().ToList();
        return (totals.Sum(total => total.GetProperty("payableCents").GetInt64()), totals.Sum(total => total.GetProperty("paidCents").GetInt64()));
    }

    [Fact]
    public async Task Get_paid_onboards_once_and_the_state_follows_stripes_events()
    {
        var referrer = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsAsync(HttpMethod.Post, "/api/payouts/onboarding", null, new { })).StatusCode);
        Assert.Equal("none", (await PayoutAccountAsync(referrer)).GetProperty("state").GetString());

        using var first = await AsAsync(HttpMethod.Post, "/api/payouts/onboarding", referrer, new { });
        var firstLink = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString();
        using var again = await AsAsync(HttpMethod.Post, "/api/payouts/onboarding", referrer, new { });
        var secondLink = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString();
        await using var connection = Database();
        var stripeAccount = await connection.ExecuteScalarAsync<string>("SELECT stripe_account_id FROM payout_accounts WHERE account_id = @referrer", new { referrer });
        // One Express account, however often the referrer clicks: each link leads to its onboarding.
        Assert.StartsWith($"https://connect.stripe.com/setup/e/{stripeAccount}/", firstLink);
        Assert.StartsWith($"https://connect.stripe.com/setup/e/{stripeAccount}/", secondLink);
        Assert.NotEqual(firstLink, secondLink);

        var onboarding = await PayoutAccountAsync(referrer);
        Assert.Equal("onboarding", onboarding.GetProperty("state").GetString());
        Assert.Contains("external_account", onboarding.GetProperty("requirementsDue").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await AsAsync(HttpMethod.Post, "/api/payouts/login-link", referrer)).StatusCode);

        // Back from Stripe before its event: the account page asks Stripe.
        _stripe.CompleteOnboarding(stripeAccount!, payoutsEnabled: false, due: ["individual.verification.document"]);
        var pending = await PayoutAccountAsync(referrer, refresh: true);
        Assert.Equal("pending", pending.GetProperty("state").GetString());

        var stale = _stripe.AccountUpdated(stripeAccount!, at: DateTimeOffset.UtcNow.AddHours(-1));
        _stripe.CompleteOnboarding(stripeAccount!);
        Assert.Equal("recorded", await Deliver(_stripe.AccountUpdated(stripeAccount!, at: DateTimeOffset.UtcNow.AddSeconds(5))));
        var enabled = await PayoutAccountAsync(referrer);
        Assert.Equal("enabled", enabled.GetProperty("state").GetString());
        Assert.True(enabled.GetProperty("payoutsEnabled").GetBoolean());
        // An older report arriving late changes nothing.
        await Deliver(stale);
        Assert.Equal("enabled", (await PayoutAccountAsync(referrer)).GetProperty("state").GetString());

        using var dashboard = await AsAsync(HttpMethod.Post, "/api/payouts/login-link", referrer);
        Assert.StartsWith($"https://connect.stripe.com/express/{stripeAccount}/", (await dashboard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
        // Another account never sees or opens this one.
        Assert.Equal("none", (await PayoutAccountAsync(Guid.NewGuid())).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await AsAsync(HttpMethod.Post, "/api/payouts/login-link", Guid.NewGuid())).StatusCode);
    }

    [Fact]
    public async Task A_country_stripe_does_not_serve_is_refused_with_stripes_reason()
    {
        using var refused = await AsAsync(HttpMethod.Post, "/api/payouts/onboarding", Guid.NewGuid(), new { country = "KP" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("cannot be created in KP", await refused.Content.ReadAsStringAsync());
        using var invalid = await AsAsync(HttpMethod.Post, "/api/payouts/onboarding", Guid.NewGuid(), new { country = "Germany" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task A_batch_pays_each_eligible_referrer_once_and_skips_the_rest_with_reasons()
    {
        var (paid, _) = await ReferrerOwedAsync(2_500);
        var stripeAccount = await OnboardAsync(paid);
        var (notOnboarded, _) = await ReferrerOwedAsync(3_000);
        var (belowMinimum, _) = await ReferrerOwedAsync(500);
        await OnboardAsync(belowMinimum);
        var (stillVerifying, _) = await ReferrerOwedAsync(4_000);
        await OnboardAsync(stillVerifying, enable: false);
        await ReferrerOwedAsync(2_000, anonymous: true);

        using (var preview = await OperatorAsync(HttpMethod.Get, "/api/commissions/payouts/preview"))
        {
            var planned = await preview.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("transfer", 2_500L), (LineOf(planned, paid).GetProperty("outcome").GetString(), LineOf(planned, paid).GetProperty("amountCents").GetInt64()));
            Assert.Equal("not_onboarded", LineOf(planned, notOnboarded).GetProperty("reason").GetString());
        }

        var batchId = $"batch-{Guid.NewGuid():N}";
        var batch = await PayAsync(batchId);
        var line = LineOf(batch, paid);
        Assert.Equal(("paid", 2_500L), (line.GetProperty("outcome").GetString(), line.GetProperty("amountCents").GetInt64()));
        Assert.Equal("not_onboarded", LineOf(batch, notOnboarded).GetProperty("reason").GetString());
        Assert.Equal("below_minimum", LineOf(batch, belowMinimum).GetProperty("reason").GetString());
        Assert.Equal("payouts_not_enabled", LineOf(batch, stillVerifying).GetProperty("reason").GetString());
        Assert.Contains("individual.first_name", LineOf(batch, stillVerifying).GetProperty("detail").GetString());
        Assert.Equal("sign_in_required", batch.GetProperty("payouts").EnumerateArray()
            .Single(item => item.GetProperty("referrerKind").GetString() == "owner" && item.GetProperty("amountCents").GetInt64() == 2_000).GetProperty("reason").GetString());

        var transfer = Assert.Single(_stripe.Transfers, made => made.Destination == stripeAccount);
        Assert.Equal((2_500L, "usd", batchId), (transfer.Amount, transfer.Currency, transfer.TransferGroup));
        Assert.Equal("1", transfer.Metadata["entry_count"]);
        Assert.Equal((0L, 2_500L), await BalanceAsync(paid));

        // The same batch again, and another batch: nothing is paid twice.
        var repeated = await PayAsync(batchId, HttpStatusCode.OK);
        Assert.Equal("paid", LineOf(repeated, paid).GetProperty("outcome").GetString());
        await PayAsync($"batch-{Guid.NewGuid():N}");
        Assert.Single(_stripe.Transfers, made => made.Destination == stripeAccount);

        // What the referrer sees: the transfer with its entry, and the month's statement.
        using var mine = await AsAsync(HttpMethod.Get, "/api/payouts/transfers", paid);
        var transfers = await mine.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(transfer.Id, transfers[0].GetProperty("stripeTransferId").GetString());
        Assert.Equal(1, transfers[0].GetProperty("entries").GetArrayLength());
        using var statement = await AsAsync(HttpMethod.Get, $"/api/payouts/statement?month={DateTime.UtcNow:yyyy-MM}", paid);
        Assert.Equal("text/csv", statement.Content.Headers.ContentType?.MediaType);
        Assert.Contains($",usd,2500,25.00,paid,\"{batchId}\",{transfer.Id}", await statement.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await AsAsync(HttpMethod.Get, "/api/payouts/statement?month=december", paid)).StatusCode);
        Assert.Equal(0, (await (await AsAsync(HttpMethod.Get, "/api/payouts/transfers", notOnboarded)).Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Fact]
    public async Task Stripe_slow_failing_once_or_losing_its_answer_never_pays_twice()
    {
        var (referrer, code) = await ReferrerOwedAsync(2_500);
        var stripeAccount = await OnboardAsync(referrer);

        // Failing once: the HTTP pipeline asks again with the same idempotency key.
        _stripe.FailTransfers(1);
        Assert.Equal("paid", LineOf(await PayAsync($"batch-{Guid.NewGuid():N}"), referrer).GetProperty("outcome").GetString());
        Assert.Single(_stripe.Transfers, made => made.Destination == stripeAccount);

        // Slow, then an answer lost after the transfer was made: the retry gets the transfer Stripe made.
        await OwedAsync(code, 1_500);
        _stripe.SlowTransfers(TimeSpan.FromSeconds(1));
        _stripe.AnswerNextTransferLate(TimeSpan.FromSeconds(12));
        Assert.Equal("paid", LineOf(await PayAsync($"batch-{Guid.NewGuid():N}"), referrer).GetProperty("outcome").GetString());
        _stripe.SlowTransfers(TimeSpan.Zero);
        Assert.Equal(2, _stripe.Transfers.Count(made => made.Destination == stripeAccount));

        // The service stopped after Stripe accepted but before its commit: the transfer is pending, its entries not paid.
        await OwedAsync(code, 1_200);
        var batchId = $"batch-{Guid.NewGuid():N}";
        await PayAsync(batchId);
        await using var connection = Database();
        await connection.ExecuteAsync("""
            UPDATE commissions SET payout_id = NULL WHERE transfer_id IN (SELECT id FROM payout_transfers WHERE payout_id = (SELECT id FROM commission_payouts WHERE batch_key = @batchId));
            UPDATE payout_transfers SET state = 'pending', stripe_transfer_id = NULL WHERE payout_id = (SELECT id FROM commission_payouts WHERE batch_key = @batchId);
            """, new { batchId });
        var requests = _stripe.TransferRequests;
        var rerun = await PayAsync($"batch-{Guid.NewGuid():N}");
        var settled = rerun.GetProperty("payouts").EnumerateArray().Single(item => item.GetProperty("batchId").GetString() == batchId);
        Assert.Equal("paid", settled.GetProperty("outcome").GetString());
        Assert.Equal(requests, _stripe.TransferRequests);
        Assert.Equal(3, _stripe.Transfers.Count(made => made.Destination == stripeAccount));
        Assert.Equal((0L, 5_200L), await BalanceAsync(referrer));
    }

    [Fact]
    public async Task A_refused_transfer_leaves_the_entries_payable_with_stripes_reason_and_the_next_attempt_pays()
    {
        var (referrer, _) = await ReferrerOwedAsync(2_500);
        await OnboardAsync(referrer);
        _stripe.RefuseTransfers("Your destination account needs to have at least one of the following capabilities enabled: transfers.");
        var batchId = $"batch-{Guid.NewGuid():N}";
        var refused = LineOf(await PayAsync(batchId), referrer);
        Assert.Equal(("failed", "stripe_refused"), (refused.GetProperty("outcome").GetString(), refused.GetProperty("reason").GetString()));
        Assert.Contains("capabilities", refused.GetProperty("detail").GetString());
        Assert.Equal((2_500L, 0L), await BalanceAsync(referrer));

        _stripe.RefuseTransfers(null);
        Assert.Equal("paid", LineOf(await PayAsync(batchId, HttpStatusCode.OK), referrer).GetProperty("outcome").GetString());
        Assert.Equal((0L, 2_500L), await BalanceAsync(referrer));
        using var history = await OperatorAsync(HttpMethod.Get, "/api/commissions/payouts/transfers?format=csv");
        Assert.Contains($"\"{batchId}\"", await history.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reversals_return_what_they_took_to_payable()
    {
        var (referrer, _) = await ReferrerOwedAsync(2_500);
        await OnboardAsync(referrer);
        await PayAsync($"batch-{Guid.NewGuid():N}");
        var whole = _stripe.Transfers.Single(made => made.Metadata["foursite_account_id"] == referrer.ToString());

        Assert.Equal("recorded", await Deliver(_stripe.TransferReversed(whole.Id, 2_500)));
        Assert.Equal((2_500L, 0L), await BalanceAsync(referrer));
        // Delivered again, it changes nothing.
        await Deliver(_stripe.TransferReversed(whole.Id, 2_500));
        Assert.Equal((2_500L, 0L), await BalanceAsync(referrer));

        await PayAsync($"batch-{Guid.NewGuid():N}");
        var second = _stripe.Transfers.Single(made => made.Metadata["foursite_account_id"] == referrer.ToString() && made.Id != whole.Id);
        Assert.Equal("recorded", await Deliver(_stripe.TransferReversed(second.Id, 700)));
        Assert.Equal((700L, 2_500L), await BalanceAsync(referrer));
    }

    [Fact]
    public async Task Earnings_under_an_owner_link_move_to_the_account_that_claims_the_site()
    {
        var referrerSite = Guid.NewGuid();
        var (_, token) = await GeneratedSites.AnnounceAsync(_service, _client, referrerSite);
        using var issue = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals?siteId={referrerSite}").As("viral", null, token);
        var code = (await (await _client.SendAsync(issue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await OwedAsync(code, 2_200);

        var account = Guid.NewGuid();
        Assert.Equal((0L, 0L), await BalanceAsync(account));
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteOwnerChanged(referrerSite, account, false, Credentials.Hash(token), DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(() => BalanceAsync(account), balance => balance.Payable == 2_200);

        // A takeover by the repository's maintainers (the token ends) moves nothing of the token holder's.
        var otherSite = Guid.NewGuid();
        var (_, otherToken) = await GeneratedSites.AnnounceAsync(_service, _client, otherSite);
        using var otherIssue = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals?siteId={otherSite}").As("viral", null, otherToken);
        var otherCode = (await (await _client.SendAsync(otherIssue)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await OwedAsync(otherCode, 1_800);
        var maintainers = Guid.NewGuid();
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteOwnerChanged(otherSite, maintainers, true, null, DateTimeOffset.UtcNow));
        await using var connection = Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<Guid?>("SELECT account_id FROM viral_scores WHERE website_id = @otherSite", new { otherSite }),
            owner => owner == maintainers);
        Assert.Equal((0L, 0L), await BalanceAsync(maintainers));
    }

    [Fact]
    public async Task With_a_schedule_payouts_run_by_themselves_and_referrers_see_when()
    {
        var (referrer, _) = await ReferrerOwedAsync(2_600);
        var stripeAccount = await OnboardAsync(referrer);
        await using var scheduled = _service.Replica(Settings(schedule: "00:00:02"));
        using var client = await scheduled.CreateReadyClientAsync();

        await Eventually.ReturnsAsync(() => Task.FromResult(_stripe.Transfers.Count(made => made.Destination == stripeAccount)), count => count == 1);
        await using var connection = Database();
        Assert.StartsWith("scheduled-", await connection.ExecuteScalarAsync<string>(
            "SELECT b.batch_key FROM payout_transfers t JOIN commission_payouts b ON b.id = t.payout_id WHERE t.stripe_account_id = @stripeAccount", new { stripeAccount }));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/payouts/account").As("viral", referrer);
        var account = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(account.GetProperty("nextPayoutAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        // The service without a schedule says payouts run when an operator runs one.
        Assert.Equal(JsonValueKind.Null, (await PayoutAccountAsync(referrer)).GetProperty("nextPayoutAt").ValueKind);
    }

    [Fact]
    public async Task Only_operators_run_preview_or_list_payouts()
    {
        var referrer = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsAsync(HttpMethod.Get, "/api/commissions/payouts/preview", referrer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsAsync(HttpMethod.Post, "/api/commissions/payouts", referrer, new { batchId = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsAsync(HttpMethod.Get, "/api/commissions/payouts/transfers", referrer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsAsync(HttpMethod.Get, "/api/payouts/transfers", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsAsync(HttpMethod.Get, "/api/payouts/account", null)).StatusCode);
    }
}
