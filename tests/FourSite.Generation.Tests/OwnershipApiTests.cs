using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.ServiceDefaults.Identity;
using FourSite.Testing;
using Npgsql;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// Accounts and the sites they own, as the gateway drives them: sign-in, generating while signed in, claiming with the
/// owner token, verifying as a maintainer (and taking over an impostor's site), erasure; and who may not do each.
/// </summary>
public sealed class OwnershipApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers, settings: TestAccounts.Settings);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client => _host.Client;

    private async Task<Guid> SignInAsync(long gitHubId, string login)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/sign-in");
        request.Headers.Add(AccountTokens.Header, TestAccounts.SignInToken(gitHubId, login));
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetGuid();
    }

    /// <summary>Generates a site of octo/<paramref name="name"/>, as <paramref name="account"/> when given.</summary>
    private async Task<(Guid SiteId, string OwnerToken)> GenerateAsync(string name, Guid? account = null)
    {
        _host.GitHub.AddRepository("octo", name);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = $"https://github.com/octo/{name}" }) }
            .As("generation", account);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("siteId").GetGuid(), body.GetProperty("ownerToken").GetString()!);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Guid? account, string? ownerToken = null) =>
        Client.SendAsync(new HttpRequestMessage(method, path).As("generation", account, ownerToken));

    private async Task<HttpResponseMessage> VerifyAsync(Guid siteId, Guid account, string repository, string permission = "push")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/verify");
        request.Headers.Add(AccountTokens.Header, TestAccounts.MaintainerToken(account, repository, permission));
        return await Client.SendAsync(request);
    }

    private async Task<Guid[]> SitesOfAsync(Guid account)
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/sites", account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(site => site.GetProperty("siteId").GetGuid()).ToArray();
    }

    [Fact]
    public async Task A_first_sign_in_is_a_signup_announced_once()
    {
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/sign-in");
        first.Headers.Add(AccountTokens.Header, TestAccounts.SignInToken(9001, "grace", "Grace Hopper"));
        var created = await (await Client.SendAsync(first)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await SignInAsync(9001, "grace-renamed");

        Assert.True(created.GetProperty("signedUp").GetBoolean());
        Assert.Equal(created.GetProperty("accountId").GetGuid(), again);
        await using var database = new NpgsqlConnection(_host.Service.DatabaseConnectionString);
        Assert.Equal("grace-renamed", await database.ExecuteScalarAsync<string>("SELECT login FROM accounts WHERE github_id = 9001"));
        Assert.Equal(1, await database.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%AccountSignedUp%' AND body::text LIKE '%' || @id || '%'", new { id = again.ToString() }));
    }

    [Fact]
    public async Task Sign_in_needs_the_gateways_word_for_the_GitHub_user()
    {
        using var anonymous = await Client.PostAsync("/api/accounts/sign-in", null);
        using var accountOnly = await SendAsync(HttpMethod.Post, "/api/accounts/sign-in", Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, accountOnly.StatusCode);
    }

    [Fact]
    public async Task A_site_generated_while_signed_in_belongs_to_the_account_only()
    {
        var (alice, bob) = (await SignInAsync(9101, "alice"), await SignInAsync(9102, "bob"));
        var (site, _) = await GenerateAsync("alices-tool", alice);

        Assert.Contains(site, await SitesOfAsync(alice));
        Assert.DoesNotContain(site, await SitesOfAsync(bob));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync("/api/sites")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, $"/api/sites/{site}", bob)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Delete, $"/api/sites/{site}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/sites/{site}", alice)).StatusCode);
    }

    [Fact]
    public async Task An_anonymous_site_is_claimed_with_its_token_and_then_belongs_to_that_account()
    {
        var (carol, dave) = (await SignInAsync(9201, "carol"), await SignInAsync(9202, "dave"));
        var (site, token) = await GenerateAsync("carols-site");

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/claim", null, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/claim", carol)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/claim", carol, "not-the-token")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/claim", carol, token)).StatusCode);
        // Someone else, with or without the token, cannot move it out of carol's account.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/claim", dave, token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/claim", dave)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, $"/api/sites/{Guid.NewGuid()}/claim", carol, token)).StatusCode);

        Assert.Equal([site], await SitesOfAsync(carol));
        Assert.Empty(await SitesOfAsync(dave));
    }

    [Fact]
    public async Task Maintainers_verify_their_site_and_take_over_an_impostors_but_never_a_verified_one()
    {
        var (impostor, maintainer, coMaintainer) = (await SignInAsync(9301, "impostor"), await SignInAsync(9302, "maintainer"), await SignInAsync(9303, "co-maintainer"));
        var (site, impostorToken) = await GenerateAsync("famous", impostor);

        Assert.Equal(HttpStatusCode.Forbidden, (await VerifyAsync(site, maintainer, "octo/other-repo")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await VerifyAsync(site, maintainer, "octo/famous", "pull")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{site}/verify", maintainer)).StatusCode);

        using var takeover = await VerifyAsync(site, maintainer, "octo/famous", "admin");
        var taken = await takeover.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, takeover.StatusCode);
        Assert.True(taken.GetProperty("takenOver").GetBoolean());
        Assert.Equal([site], await SitesOfAsync(maintainer));
        Assert.Empty(await SitesOfAsync(impostor));
        // The impostor's token and account no longer reach it.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, $"/api/sites/{site}", null, impostorToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, $"/api/sites/{site}", impostor)).StatusCode);

        // Verified once, it stays with its maintainer.
        Assert.Equal(HttpStatusCode.Conflict, (await VerifyAsync(site, coMaintainer, "octo/famous", "maintain")).StatusCode);
        using var again = await VerifyAsync(site, maintainer, "OCTO/Famous", "admin");
        Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("takenOver").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/sites/{site}", maintainer)).StatusCode);
    }

    [Fact]
    public async Task An_erased_account_takes_its_sites_and_personal_data_with_it()
    {
        var erin = await SignInAsync(9401, "erin");
        var (first, _) = await GenerateAsync("erins-first", erin);
        var (second, _) = await GenerateAsync("erins-second", erin);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/api/accounts/me", erin)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/sites/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/sites/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/api/accounts/me", erin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/api/accounts/me", erin)).StatusCode);
        await using var database = new NpgsqlConnection(_host.Service.DatabaseConnectionString);
        Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM accounts WHERE github_id = 9401"));
        Assert.Equal(2, await database.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SiteRemoved%' AND (body::text LIKE '%' || @first || '%' OR body::text LIKE '%' || @second || '%')",
            new { first = first.ToString(), second = second.ToString() }));
    }
}
