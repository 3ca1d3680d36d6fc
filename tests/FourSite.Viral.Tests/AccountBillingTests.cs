using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>
/// Checkout, referral codes and commissions with accounts: the owning account acts without a token, nobody else may,
/// nobody earns on their own account's upgrade, schedules count from the account's signup, and erasure keeps the money.
/// </summary>
public sealed class AccountBillingTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private readonly StripeFake _stripe = new();
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>(TestAccounts.Settings.Concat(_stripe.Settings)));
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        _stripe.Dispose();
    }

    private IBus Bus => _service.Services.GetRequiredService<IBus>();

    private Task<HttpResponseMessage> Checkout(Guid site, Guid? account, string? token = null, string? referralCode = null) =>
        _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/billing/checkout") { Content = JsonContent.Create(new { siteId = site, plan = "pro", referralCode }) }
            .As("viral", account, token));

    private Task<HttpResponseMessage> Referral(Guid site, Guid? account, string? token = null) =>
        _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/referrals?siteId={site}").As("viral", account, token));

    private async Task<HttpResponseMessage> Deliver(string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", StripeFake.Sign(payload));
        return await _client.SendAsync(request);
    }

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    [Fact]
    public async Task The_owning_account_starts_checkouts_and_gets_codes_and_nobody_else_does()
    {
        var (site, owner, stranger) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (_, token) = await GeneratedSites.AnnounceAsync(_service, _client, site, accountId: owner);

        Assert.Equal(HttpStatusCode.OK, (await Checkout(site, owner)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Checkout(site, stranger)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Checkout(site, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Referral(site, owner)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Referral(site, stranger)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Referral(site, null)).StatusCode);
        Assert.Contains(_stripe.CheckoutRequests, form => form.GetValueOrDefault("metadata[buyer_account_id]") == owner.ToString());

        // Taken over by its repository's maintainers: the token that came with it no longer works; the new account's does.
        var maintainer = Guid.NewGuid();
        await Bus.Publish(new SiteOwnerChanged(site, maintainer, Verified: true, null, DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(() => Checkout(site, maintainer), response => response.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await Checkout(site, null, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Checkout(site, owner)).StatusCode);
    }

    [Fact]
    public async Task Nobody_earns_on_an_upgrade_of_their_own_account_even_from_another_site()
    {
        var (referrerSite, ownSecondSite, othersSite) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (referrer, other) = (Guid.NewGuid(), Guid.NewGuid());
        await GeneratedSites.AnnounceAsync(_service, _client, referrerSite, accountId: referrer);
        var (ownSecondOwner, _) = await GeneratedSites.AnnounceAsync(_service, _client, ownSecondSite, accountId: referrer);
        var (othersOwner, _) = await GeneratedSites.AnnounceAsync(_service, _client, othersSite, accountId: other);
        var code = (await (await Referral(referrerSite, referrer)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        Dictionary<string, string> Metadata(Guid site, Guid owner, Guid buyer) => new()
        {
            ["site_id"] = site.ToString(), ["owner_id"] = owner.ToString(), ["plan"] = "pro", ["referral_code"] = code, ["buyer_account_id"] = buyer.ToString(),
        };
        await Deliver(StripeFake.CheckoutCompleted("evt_own_account", "cs_own_account", Metadata(ownSecondSite, ownSecondOwner, referrer)));
        await Deliver(StripeFake.CheckoutCompleted("evt_other_account", "cs_other_account", Metadata(othersSite, othersOwner, other)));

        await using var connection = Database();
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM upgrades WHERE checkout_session_id IN ('cs_own_account', 'cs_other_account')"));
        var commissions = (await connection.QueryAsync<Guid?>("SELECT referrer_account_id FROM commissions WHERE referral_code = @code", new { code })).ToList();
        Assert.Equal([referrer], commissions);
    }

    [Fact]
    public async Task An_accounts_commission_rate_counts_from_its_signup()
    {
        var account = Guid.NewGuid();
        await Bus.Publish(new AccountSignedUp(account, DateTimeOffset.UtcNow.AddMonths(-13)));

        var rate = await Eventually.ReturnsAsync(
            () => _client.GetFromJsonAsync<JsonElement>($"/api/commissions/rate?userId={account}"), body => body.GetProperty("months").GetInt32() > 0);

        Assert.Equal(13, rate.GetProperty("months").GetInt32());
        Assert.Equal(0.35m, rate.GetProperty("rate").GetDecimal());
    }

    [Fact]
    public async Task An_erased_account_loses_its_codes_and_the_money_records_stay_without_it()
    {
        var (referrerSite, buyerSite) = (Guid.NewGuid(), Guid.NewGuid());
        var (referrer, buyer) = (Guid.NewGuid(), Guid.NewGuid());
        await GeneratedSites.AnnounceAsync(_service, _client, referrerSite, accountId: referrer);
        var (buyerOwner, _) = await GeneratedSites.AnnounceAsync(_service, _client, buyerSite, accountId: buyer);
        var code = (await (await Referral(referrerSite, referrer)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        await Deliver(StripeFake.CheckoutCompleted("evt_before_erasure", "cs_before_erasure", new Dictionary<string, string>
        {
            ["site_id"] = buyerSite.ToString(), ["owner_id"] = buyerOwner.ToString(), ["plan"] = "pro", ["referral_code"] = code, ["buyer_account_id"] = buyer.ToString(),
        }));

        await Bus.Publish(new AccountErased(referrer, DateTimeOffset.UtcNow));

        await using var connection = Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM referral_codes WHERE code = @code", new { code }), count => count == 0);
        var commission = await connection.QuerySingleAsync<(long Amount, string? Code, Guid? Referrer)>(
            "SELECT c.amount_cents, c.referral_code, c.referrer_account_id FROM commissions c JOIN upgrades u ON u.id = c.upgrade_id WHERE u.checkout_session_id = 'cs_before_erasure'");
        Assert.Equal((380L, null, null), commission);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/referrals/{code}")).StatusCode);
    }
}
