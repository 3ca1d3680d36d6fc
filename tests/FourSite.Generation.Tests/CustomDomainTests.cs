using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Contracts.Viral;
using FourSite.Generation.Moderation;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// Custom domains of Pro sites, verified by a TXT record that a DNS server on loopback answers: added by the owner only,
/// one site per domain, names normalised, and served (the answer Caddy and the gateway ask for) only while the site is Pro.
/// </summary>
public sealed class CustomDomainTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private readonly DnsServerFake _dns = new();
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers, settings: new Dictionary<string, string?>(TestAccounts.Settings)
    {
        ["FourSite:Domains:NameServers:0"] = _dns.Address,
        ["FourSite:Domains:LookupTimeout"] = "00:00:02",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _dns.Dispose();
    }

    private HttpClient Client => _host.Client;

    private async Task<(Guid SiteId, string Slug, string Token)> ProSiteAsync(string name, bool pro = true)
    {
        _host.GitHub.AddRepository("octo", name);
        using var response = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/octo/{name}" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (siteId, slug, token) = (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!, body.GetProperty("ownerToken").GetString()!);
        if (pro)
        {
            await SetProAsync(siteId, DateTimeOffset.UtcNow.AddMonths(1));
        }

        return (siteId, slug, token);
    }

    /// <summary>Viral announces the site's Pro state; answers once Generation applied it.</summary>
    private async Task SetProAsync(Guid siteId, DateTimeOffset proUntil)
    {
        var changedAt = DateTimeOffset.UtcNow;
        await _host.Service.Services.GetRequiredService<IBus>().Publish(new SiteProChanged(siteId, "pro", proUntil, proUntil, null, null, changedAt));
        await Eventually.ReturnsAsync(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(_host.Service.DatabaseConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT pro_changed_at >= @changedAt FROM websites WHERE id = @siteId", connection);
            command.Parameters.AddWithValue("changedAt", changedAt.AddMilliseconds(-1));
            command.Parameters.AddWithValue("siteId", siteId);
            return await command.ExecuteScalarAsync() is true;
        }, applied => applied);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
        }

        return await Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> AllowedAsync(string domain) => Client.GetAsync($"/api/domains/allowed?domain={Uri.EscapeDataString(domain)}");

    [Fact]
    public async Task An_owner_adds_a_domain_proves_it_by_dns_and_it_is_served_as_the_site()
    {
        var (siteId, slug, token) = await ProSiteAsync("docs-kite");

        using var added = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = "Docs.Kite-Example.org." });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var domain = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("docs.kite-example.org", domain.GetProperty("domain").GetString());
        Assert.Equal("pending", domain.GetProperty("status").GetString());
        var verification = domain.GetProperty("verification");
        Assert.Equal("TXT", verification.GetProperty("type").GetString());
        Assert.Equal("_foursite-challenge.docs.kite-example.org", verification.GetProperty("name").GetString());
        var value = verification.GetProperty("value").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await AllowedAsync("docs.kite-example.org")).StatusCode);

        // Not there yet, then a wrong value: not verified, and the owner is told what was found.
        using var early = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/docs.kite-example.org/verify", token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        _dns.SetTxt("_foursite-challenge.docs.kite-example.org", "foursite-verification=someone-elses");
        using var wrong = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/docs.kite-example.org/verify", token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("1 TXT value", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        _dns.SetTxt("_foursite-challenge.docs.kite-example.org", "v=spf1 -all", value);
        using var verified = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/docs.kite-example.org/verify", token);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("verified", (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        using var allowed = await AllowedAsync("DOCS.kite-example.org");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var served = await allowed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(siteId, served.GetProperty("siteId").GetGuid());
        Assert.Equal(slug, served.GetProperty("slug").GetString());
        var listed = await (await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/domains", token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("verified", Assert.Single(listed.EnumerateArray()).GetProperty("status").GetString());

        // Removed: no longer served.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/sites/{siteId}/domains/docs.kite-example.org", token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AllowedAsync("docs.kite-example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/sites/{siteId}/domains/docs.kite-example.org", token)).StatusCode);
    }

    [Fact]
    public async Task A_suspended_sites_domain_is_not_served_though_it_is_pro_until_it_is_restored()
    {
        var (siteId, _, token) = await ProSiteAsync("suspended-kite");
        using var added = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = "suspended.kite-example.org" });
        var value = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification").GetProperty("value").GetString()!;
        _dns.SetTxt("_foursite-challenge.suspended.kite-example.org", value);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/suspended.kite-example.org/verify", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AllowedAsync("suspended.kite-example.org")).StatusCode);

        var moderation = _host.Service.Services.GetRequiredService<ModerationStore>();
        Assert.True(await moderation.SuspendAsync(siteId, "legal", "A court order", "ops-olga", CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await AllowedAsync("suspended.kite-example.org")).StatusCode);

        Assert.True(await moderation.ReinstateAsync(siteId, "Order lifted", "ops-olga", CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await AllowedAsync("suspended.kite-example.org")).StatusCode);
    }

    [Fact]
    public async Task Apex_and_international_domains_are_normalised_and_one_domain_serves_one_site()
    {
        var (first, _, firstToken) = await ProSiteAsync("apex-one");
        var (second, _, secondToken) = await ProSiteAsync("apex-two");

        using var idn = await SendAsync(HttpMethod.Post, $"/api/sites/{first}/domains", firstToken, new { domain = "Bücher.example" });
        var claimed = await idn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("xn--bcher-kva.example", claimed.GetProperty("domain").GetString());
        // The same domain in its Unicode form is the same claim.
        using var again = await SendAsync(HttpMethod.Post, $"/api/sites/{first}/domains", firstToken, new { domain = "bücher.example" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // Both sites may claim it; the first to prove it gets it, the other is told it is taken.
        using var rival = await SendAsync(HttpMethod.Post, $"/api/sites/{second}/domains", secondToken, new { domain = "xn--bcher-kva.example" });
        Assert.Equal(HttpStatusCode.Created, rival.StatusCode);
        var rivalValue = (await rival.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification").GetProperty("value").GetString()!;
        _dns.SetTxt("_foursite-challenge.xn--bcher-kva.example", claimed.GetProperty("verification").GetProperty("value").GetString()!, rivalValue);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/sites/{first}/domains/bücher.example/verify", firstToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, $"/api/sites/{second}/domains/xn--bcher-kva.example/verify", secondToken)).StatusCode);
        using var taken = await SendAsync(HttpMethod.Post, $"/api/sites/{second}/domains", secondToken, new { domain = "BÜCHER.example" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(first, (await (await AllowedAsync("bücher.example")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteId").GetGuid());

        foreach (var bad in new[] { "", "https://docs.example.org", "docs.example.org/path", "docs.example.org:8443", "localhost", "printer.local", "127.0.0.1", "example", "-bad-.example.org", new string('a', 64) + ".example.org" })
        {
            using var refused = await SendAsync(HttpMethod.Post, $"/api/sites/{first}/domains", firstToken, new { domain = bad });
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {refused.StatusCode}");
        }
    }

    [Fact]
    public async Task Only_a_pro_sites_owner_adds_domains_and_a_domain_stops_being_served_when_pro_ends()
    {
        var (free, _, freeToken) = await ProSiteAsync("free-kite", pro: false);
        using var notPro = await SendAsync(HttpMethod.Post, $"/api/sites/{free}/domains", freeToken, new { domain = "free.example.org" });
        Assert.Equal(HttpStatusCode.PaymentRequired, notPro.StatusCode);
        Assert.Equal("pro_required", (await notPro.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var (siteId, _, token) = await ProSiteAsync("ending-kite");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", null, new { domain = "end.example.org" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", freeToken, new { domain = "end.example.org" })).StatusCode);
        using var created = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = "end.example.org" });
        var value = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification").GetProperty("value").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/domains", freeToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/end.example.org/verify", freeToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, $"/api/sites/{siteId}/domains/end.example.org", freeToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/sites/{free}/domains/end.example.org", freeToken)).StatusCode);
        _dns.SetTxt("_foursite-challenge.end.example.org", value);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/end.example.org/verify", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AllowedAsync("end.example.org")).StatusCode);

        // Pro ran out (after its grace period): the domain is no longer served; the site stays on /s/{slug}.
        await SetProAsync(siteId, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal(HttpStatusCode.NotFound, (await AllowedAsync("end.example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AllowedAsync("not a domain")).StatusCode);
    }

    [Fact]
    public async Task A_site_taken_over_by_its_maintainers_loses_the_domains_its_previous_holder_proved()
    {
        var (siteId, _, token) = await ProSiteAsync("taken-kite");
        using var added = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = "impostor.example.org" });
        var value = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification").GetProperty("value").GetString()!;
        _dns.SetTxt("_foursite-challenge.impostor.example.org", value);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/impostor.example.org/verify", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AllowedAsync("impostor.example.org")).StatusCode);

        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/sign-in");
        signIn.Headers.Add(ServiceDefaults.Identity.AccountTokens.Header, TestAccounts.SignInToken(9801, "kite-maintainer"));
        var maintainer = (await (await Client.SendAsync(signIn)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetGuid();
        using var verify = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/verify");
        verify.Headers.Add(ServiceDefaults.Identity.AccountTokens.Header, TestAccounts.MaintainerToken(maintainer, "octo/taken-kite", "admin"));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(verify)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await AllowedAsync("impostor.example.org")).StatusCode);
        using var listed = new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{siteId}/domains").As("generation", maintainer);
        Assert.Empty((await (await Client.SendAsync(listed)).Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
    }
}
