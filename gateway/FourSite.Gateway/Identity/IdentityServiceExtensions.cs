using System.Security.Claims;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FourSite.Gateway.Identity;

/// <summary>
/// The gateway signs people in with GitHub (ASP.NET Core's OAuth handler, state and PKCE) and keeps their session in a
/// cookie backed by Redis; services only ever see the account, in a token the gateway signs per request.
/// </summary>
public static class IdentityServiceExtensions
{
    public const string GitHubScheme = "github";
    public const string SessionCookie = "foursite-session";
    public const string CreatedAtClaim = "created_at";
    public const string GenerationClient = ResourceNames.Generation;
    private const string DataProtectionKeys = "foursite:gateway:data-protection-keys";

    public static IHostApplicationBuilder AddGatewayIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.ApiUrl = configuration.GetValue<Uri?>("FourSite:GitHub:ApiUrl") ?? options.ApiUrl);
        var signIn = builder.Configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions();

        // Every replica, and every restart, reads the same keys: nobody is signed out by a second gateway or a deploy.
        services.AddDataProtection().SetApplicationName("FourSite.Gateway");
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeys));

        services.AddSingleton<AccountTokenIssuer>();
        services.AddSingleton<SessionTicketStore>();
        services.AddHttpClient<AccountDirectory>(http => http.BaseAddress = ServiceAddress.Of(ResourceNames.Generation));
        services.AddHttpClient(GenerationClient, http => http.BaseAddress = ServiceAddress.Of(ResourceNames.Generation));
        services.AddHttpClient<GitHubUserClient>((provider, http) =>
            http.BaseAddress = EndingWithSlash(provider.GetRequiredService<IOptions<SignInOptions>>().Value.ApiUrl));
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTicketStore>((options, store) => options.SessionStore = store);

        var authentication = services.AddAuthentication(options => options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = SessionCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = signIn.SessionLifetime;
                options.SlidingExpiration = true;
                // An API answers; it does not redirect to a login page.
                options.Events.OnRedirectToLogin = context => Answer(context.Response, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Answer(context.Response, StatusCodes.Status403Forbidden);
            });
        if (signIn.IsConfigured)
        {
            authentication.AddOAuth(GitHubScheme, options => ConfigureGitHub(options, signIn));
        }

        return builder;
    }

    private static void ConfigureGitHub(OAuthOptions options, SignInOptions signIn)
    {
        options.ClientId = signIn.ClientId!;
        options.ClientSecret = signIn.ClientSecret!;
        options.AuthorizationEndpoint = signIn.AuthorizeUrl.ToString();
        options.TokenEndpoint = signIn.TokenUrl.ToString();
        options.CallbackPath = "/auth/github/callback";
        options.UsePkce = true;
        // The token goes into the server-side session (for the verification call), never to the browser.
        options.SaveTokens = true;
        options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events = new OAuthEvents
        {
            OnRedirectToAuthorizationEndpoint = context =>
            {
                var target = context.Properties.Items.TryGetValue(SignInApi.LoginHint, out var login) && login is not null
                    ? QueryHelpers.AddQueryString(context.RedirectUri, "login", login)
                    : context.RedirectUri;
                context.Response.Redirect(target);
                return Task.CompletedTask;
            },
            OnCreatingTicket = CreateSessionAsync,
            OnRemoteFailure = context =>
            {
                // A wrong, missing or replayed state (or a refused approval) is the client's error, not ours.
                context.HandleResponse();
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Sign-in could not be completed. Please start again.",
                    type: ServiceDefaults.Http.Problems.TypeBase + "sign_in_failed", extensions: new Dictionary<string, object?> { ["code"] = "sign_in_failed" })
                    .ExecuteAsync(context.HttpContext);
            },
        };
    }

    /// <summary>Who signed in: their GitHub profile, then their account (made on the first sign-in), as the session's claims.</summary>
    private static async Task CreateSessionAsync(OAuthCreatingTicketContext context)
    {
        var services = context.HttpContext.RequestServices;
        var user = await services.GetRequiredService<GitHubUserClient>().GetUserAsync(context.AccessToken!, context.HttpContext.RequestAborted);
        var account = await services.GetRequiredService<AccountDirectory>().SignInAsync(user, context.HttpContext.RequestAborted);
        context.Identity!.AddClaims(
        [
            new Claim(AccountTokens.AccountIdClaim, account.AccountId.ToString()),
            new Claim(AccountTokens.LoginClaim, account.Login),
            new Claim(AccountTokens.NameClaim, account.Name ?? account.Login),
            new Claim(AccountTokens.AvatarUrlClaim, account.AvatarUrl ?? ""),
            new Claim(CreatedAtClaim, account.CreatedAt.ToString("O")),
        ]);
        context.Properties.IsPersistent = true;
    }

    private static Task Answer(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Uri EndingWithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
