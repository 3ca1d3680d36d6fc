using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace FourSite.StandIns;

/// <summary>
/// GitHub's OAuth and user API, beside its repository API (they share <c>FourSite:GitHub:ApiUrl</c>): the authorize page
/// approves at once as the hinted user (<c>login=</c>, else <see cref="DefaultUser"/>), the token exchange checks the
/// client secret, the code (once) and PKCE, <c>/user</c> answers for the token's user, and a repository answers with that
/// user's <c>permissions</c> as granted here.
/// </summary>
public sealed partial class GitHubStandIn
{
    public const string ClientId = "fake-oauth-client";
    public const string ClientSecret = "fake-oauth-secret";
    public const string AuthorizePath = "/login/oauth/authorize";
    public const string TokenPath = "/login/oauth/access_token";
    public const string DefaultUser = "octocat";

    private readonly ConcurrentDictionary<string, (string Login, string Challenge, string RedirectUri)> _codes = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, (long Id, string Name)> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Login, string Repository), string> _permissions = new();
    private long _nextUserId = 1_000;

    private void AnswerOAuth()
    {
        _server.Given(Request.Create().WithPath(AuthorizePath).UsingGet()).AtPriority(0).RespondWith(Response.Create().WithCallback(Authorize));
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost()).AtPriority(0).RespondWith(Response.Create().WithCallback(ExchangeCode));
        _server.Given(Request.Create().WithPath("/user").UsingGet()).AtPriority(0).RespondWith(Response.Create().WithCallback(CurrentUser));
    }

    public string AuthorizeUrl => Url + AuthorizePath;

    public string TokenUrl => Url + TokenPath;

    /// <summary>The settings that point a gateway's sign-in at this stand-in.</summary>
    public IEnumerable<string> OAuthSettings =>
    [
        $"FourSite:GitHub:OAuth:ClientId={ClientId}",
        $"FourSite:GitHub:OAuth:ClientSecret={ClientSecret}",
        $"FourSite:GitHub:OAuth:AuthorizeUrl={AuthorizeUrl}",
        $"FourSite:GitHub:OAuth:TokenUrl={TokenUrl}",
    ];

    /// <summary>A GitHub user who can sign in (users signing in unannounced are made up on the spot).</summary>
    public void AddUser(string login, string? name = null) =>
        _users.TryAdd(login, (Interlocked.Increment(ref _nextUserId), name ?? login));

    /// <summary>GitHub lists <paramref name="login"/> with <paramref name="permission"/> (admin, maintain, push, triage, pull) on owner/repository.</summary>
    public void Grant(string login, string owner, string repository, string permission)
    {
        AddUser(login);
        _permissions[(login.ToLowerInvariant(), $"{owner}/{repository}".ToLowerInvariant())] = permission;
        _server.Given(Request.Create().WithPath($"/repos/{owner}/{repository}").UsingGet().WithHeader("Authorization", "Bearer *"))
            .AtPriority(0)
            .RespondWith(Response.Create().WithCallback(request => RepositoryFor(request, owner, repository)));
    }

    /// <summary>How many access tokens the stand-in has handed out.</summary>
    public int TokensIssued => _tokens.Count;

    private ResponseMessage Authorize(IRequestMessage request)
    {
        string? Query(string name) => request.Query?.TryGetValue(name, out var values) == true ? values.FirstOrDefault() : null;
        if (Query("client_id") != ClientId || Query("redirect_uri") is not { } redirectUri || Query("state") is not { } state
            || Query("code_challenge") is not { } challenge || Query("code_challenge_method") != "S256")
        {
            return Json(HttpStatusCode.BadRequest, new { error = "invalid_request" });
        }

        var login = Query("login") is { Length: > 0 } hinted ? hinted : DefaultUser;
        AddUser(login);
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (login, challenge, redirectUri);
        var location = QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?> { ["code"] = code, ["state"] = state });
        return new ResponseMessage { StatusCode = 302, Headers = new Dictionary<string, WireMockList<string>> { ["Location"] = new(location) } };
    }

    private ResponseMessage ExchangeCode(IRequestMessage request)
    {
        var form = QueryHelpers.ParseQuery(request.Body ?? "");
        string? Form(string name) => form.TryGetValue(name, out var values) ? values.ToString() : null;
        if (Form("client_id") != ClientId || Form("client_secret") != ClientSecret)
        {
            return Json(HttpStatusCode.Unauthorized, new { error = "incorrect_client_credentials" });
        }

        // A code works once, for the redirect it was issued to, with the verifier of its challenge.
        if (Form("code") is not { } code || !_codes.TryRemove(code, out var issued) || Form("redirect_uri") != issued.RedirectUri
            || Form("code_verifier") is not { } verifier
            || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != issued.Challenge)
        {
            return Json(HttpStatusCode.OK, new { error = "bad_verification_code" });
        }

        var token = $"gho_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        _tokens[token] = issued.Login;
        return Json(HttpStatusCode.OK, new { access_token = token, token_type = "bearer", scope = "" });
    }

    private ResponseMessage CurrentUser(IRequestMessage request)
    {
        if (UserOf(request) is not { } login || !_users.TryGetValue(login, out var user))
        {
            return Json(HttpStatusCode.Unauthorized, new { message = "Bad credentials" });
        }

        return Json(HttpStatusCode.OK, new { id = user.Id, login, name = user.Name, avatar_url = $"https://avatars.example/{login}.png" });
    }

    private ResponseMessage RepositoryFor(IRequestMessage request, string owner, string repository)
    {
        if (UserOf(request) is not { } login)
        {
            return Json(HttpStatusCode.Unauthorized, new { message = "Bad credentials" });
        }

        var granted = _permissions.GetValueOrDefault((login.ToLowerInvariant(), $"{owner}/{repository}".ToLowerInvariant()), "pull");
        string[] order = ["pull", "triage", "push", "maintain", "admin"];
        var level = Array.IndexOf(order, granted);
        return Json(HttpStatusCode.OK, new
        {
            name = repository,
            owner = new { login = owner },
            @private = false,
            permissions = new { admin = level >= 4, maintain = level >= 3, push = level >= 2, triage = level >= 1, pull = true },
        });
    }

    private string? UserOf(IRequestMessage request)
    {
        var authorization = request.Headers?.TryGetValue("Authorization", out var values) == true ? values.FirstOrDefault() : null;
        var token = authorization?.Split(' ', 2) is [_, var value] ? value : null;
        return token is not null && _tokens.TryGetValue(token, out var login) ? login : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ResponseMessage Json(HttpStatusCode status, object body) => new()
    {
        StatusCode = (int)status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String },
    };
}
