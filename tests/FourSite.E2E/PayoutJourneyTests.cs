using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Dapper;
using FourSite.System.Tests;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// A referrer gets paid, in a real browser: "Get paid" leads to Stripe's onboarding (faked), back on the dashboard
/// payouts are enabled, an operator pays the batch from /ops, and the transfer shows in the referrer's Earnings.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PayoutJourneyTests(PlatformApp platform) : BrowserTests(platform)
{
    [Fact]
    public async Task Get_paid_onboards_with_stripe_and_a_payout_appears_in_earnings()
    {
        var referrer = await NewPageAsync();
        await referrer.GotoAsync("/auth/github/login?returnUrl=/dashboard&login=pat-payee");
        await Assertions.Expect(referrer).ToHaveURLAsync(new Regex("/dashboard$"));

        // The referrer's own site and its referral code, made while signed in.
        Platform.GitHub.AddRepository("octo", "payee-site");
        var code = await referrer.EvaluateAsync<string>("""
            async () => {
              const site = await (await fetch('/api/generate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ repoUrl: 'https://github.com/octo/payee-site' }) })).json();
              for (let attempt = 0; attempt < 50; attempt++) {
                const response = await fetch(`/api/referrals?siteId=${site.siteId}`, { method: 'POST' });
                if (response.ok) return (await response.json()).code;
                await new Promise(done => setTimeout(done, 200));
              }
              throw new Error('no referral code');
            }
            """);

        // Someone upgrades through the code; its commission is past its refund window.
        var buyer = await GenerateAsync("payer-site");
        var buyerSite = buyer.GetProperty("siteId").GetString()!;
        using var client = Platform.CreateGatewayClient();
        await Eventually.ReturnsAsync(() => client.GetAsync($"/api/viral/sites/{buyerSite}"), response => response.StatusCode == HttpStatusCode.OK);
        var metadata = new Dictionary<string, string> { ["site_id"] = buyerSite, ["owner_id"] = buyer.GetProperty("ownerId").GetString()!, ["plan"] = "pro-annual", ["referral_code"] = code };
        await DeliverStripeEventAsync(StripeFake.InvoiceEvent($"in_{buyerSite}", $"sub_{buyerSite}", metadata, 19_000, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1), "subscription_create"));
        await using var viral = new NpgsqlConnection(await Platform.App.GetConnectionStringAsync("viraldb") + ";Pooling=false");
        await Eventually.ReturnsAsync(() => viral.ExecuteAsync("UPDATE commissions SET payable_at = now() - interval '1 day' WHERE referral_code = @code", new { code }), rows => rows == 1);

        // "Get paid": Stripe's hosted onboarding (across the internet, answered here), then back to the dashboard.
        await referrer.ReloadAsync();
        await Assertions.Expect(referrer.GetByTestId("payout-state")).ToContainTextAsync("set up payouts with Stripe");
        await referrer.RouteAsync("https://connect.stripe.com/**", route => route.FulfillAsync(new() { Body = "<title>Stripe onboarding</title>", ContentType = "text/html" }));
        await referrer.GetByTestId("get-paid").ClickAsync();
        await Assertions.Expect(referrer).ToHaveURLAsync(new Regex("^https://connect\\.stripe\\.com/setup/"));
        var stripeAccount = await viral.ExecuteScalarAsync<string>("SELECT stripe_account_id FROM payout_accounts ORDER BY created_at DESC LIMIT 1");
        Platform.Stripe.CompleteOnboarding(stripeAccount!);
        await referrer.GotoAsync("/dashboard?payouts=return");
        await Assertions.Expect(referrer.GetByTestId("payout-state")).ToContainTextAsync("Payouts enabled");
        await AssertAccessibleAsync(referrer);

        // An operator previews and pays the batch on /ops.
        var ops = await NewPageAsync();
        await ops.GotoAsync("/ops");
        await ops.GetByTestId("operator-key-input").FillAsync(PlatformApp.OperatorKey);
        await ops.GetByTestId("operator-key-submit").ClickAsync();
        await ops.GetByTestId("payout-preview").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("payout-lines")).ToContainTextAsync("transfer");
        await ops.GetByTestId("payout-run").ClickAsync();
        // Stripe is asked for each transfer while the operator waits: give it the time a payout takes.
        await Assertions.Expect(ops.GetByTestId("payout-status")).ToContainTextAsync("1 paid", new() { Timeout = 30_000 });
        await Assertions.Expect(ops.GetByTestId("payout-history")).ToContainTextAsync("paid");
        await AssertAccessibleAsync(ops);
        var transfer = Assert.Single(Platform.Stripe.Transfers, made => made.Destination == stripeAccount);
        Assert.Equal(19_000 * 20 / 100, transfer.Amount);

        await referrer.ReloadAsync();
        await Assertions.Expect(referrer.GetByTestId("payout-transfers")).ToContainTextAsync("$38.00 paid · 1 commission");
        await Assertions.Expect(referrer.GetByTestId("earnings-total")).ToContainTextAsync("$38.00 paid");
        await Chromium.ScreenshotAsync(referrer, "earnings-paid");
    }
}
