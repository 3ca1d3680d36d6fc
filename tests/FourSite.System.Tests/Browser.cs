using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// A browser as far as the gateway can tell: its own cookies, its own address (so per-client limits such as sign-in's
/// count it alone), and redirects followed by hand (so each hop can be checked).
/// </summary>
public sealed class Browser(PlatformApp platform) : IDisposable
{
    private static int _browsers;
    private readonly CookieContainer _cookies = new();
    private HttpClient? _client;

    public HttpClient Client => _client ??= CreateClient();

    public CookieContainer Cookies => _cookies;

    private HttpClient CreateClient()
    {
        var gateway = platform.CreateGatewayClient().BaseAddress!;
        var client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = gateway };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{Interlocked.Increment(ref _browsers) % 250 + 1}");
        return client;
    }

    /// <summary>Signs in as <paramref name="login"/> through GitHub's stand-in; returns where the gateway sent the browser at the end.</summary>
    public async Task<string> SignInAsync(string login, string returnUrl = "/dashboard")
    {
        using var start = await Client.GetAsync($"/auth/github/login?returnUrl={Uri.EscapeDataString(returnUrl)}&login={login}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(platform.GitHub.AuthorizeUrl, start.Headers.Location!.ToString());

        // GitHub approves at once and sends the browser back with a code and the state.
        using var gitHub = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approved = await gitHub.GetAsync(start.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        using var callback = await Client.GetAsync(approved.Headers.Location);
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"callback: {callback.StatusCode} {await callback.Content.ReadAsStringAsync()}");
        return callback.Headers.Location!.OriginalString;
    }

    public async Task<JsonElement> MeAsync()
    {
        using var me = await Client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return await me.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The authorize URL's query, for checking what the gateway asked GitHub for.</summary>
    public static Dictionary<string, string> QueryOf(Uri url) =>
        QueryHelpers.ParseQuery(url.Query).ToDictionary(pair => pair.Key, pair => pair.Value.ToString());

    public void Dispose() => _client?.Dispose();
}
