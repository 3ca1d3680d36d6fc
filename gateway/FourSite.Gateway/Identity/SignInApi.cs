using System.Security.Claims;
using System.Text.RegularExpressions;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Identity;

/// <summary>
/// <c>GET /auth/github/login</c>, <c>POST /auth/logout</c>, <c>GET</c> and <c>DELETE /api/me</c>: signing in and out,
/// and the signed-in account (the OAuth callback, <c>/auth/github/callback</c>, is the OAuth handler's own).
/// </summary>
public static partial class SignInApi
{
    public const string LoginHint = "login";
    public const string DefaultReturnUrl = "/dashboard";

    public static IEndpointRouteBuilder MapSignInApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/auth/github/login", Login).WithTags("Accounts").WithName("SignInWithGitHub")
            .WithSummary("Starts signing in with GitHub (302 to GitHub with state and PKCE); returnUrl is a local path, login a GitHub account hint.");
        app.MapPost("/auth/logout", (Func<HttpContext, Task<IResult>>)Logout).WithTags("Accounts").WithName("SignOut")
            .WithSummary("Ends the session, in this browser and on the server.");
        app.MapGet("/api/me", GetMe)
            .Requires(Credential.Account).WithTags("Accounts").WithName("GetMe")
            .WithSummary("The signed-in account; 401 without a session.");
        app.MapDelete("/api/me", EraseMe)
            .Requires(Credential.Account).WithTags("Accounts").WithName("EraseMe")
            .WithSummary("Erases the signed-in account: its sessions, sites, referral codes and personal data.");
        return app;
    }

    public static IResult Login(string? returnUrl, string? login, IOptions<SignInOptions> options)
    {
        if (!options.Value.IsConfigured)
        {
            return SignInNotConfigured();
        }

        var properties = new AuthenticationProperties { RedirectUri = LocalPathOrDefault(returnUrl) };
        if (login is not null && GitHubLogin().IsMatch(login))
        {
            properties.Items[LoginHint] = login;
        }

        return Results.Challenge(properties, [IdentityServiceExtensions.GitHubScheme]);
    }

    public static async Task<IResult> Logout(HttpContext context)
    {
        // Signing out removes the session from the store, so a copied cookie is worth nothing afterwards.
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    public static IResult GetMe(HttpContext context, IOptions<SignInOptions> options, IOptionsMonitor<OperatorOptions> operators) =>
        context.User.FindFirstValue(AccountTokens.AccountIdClaim) is { } accountId
            ? Results.Ok(new
            {
                accountId = Guid.Parse(accountId),
                login = context.User.FindFirstValue(AccountTokens.LoginClaim),
                name = context.User.FindFirstValue(AccountTokens.NameClaim),
                avatarUrl = context.User.FindFirstValue(AccountTokens.AvatarUrlClaim) is { Length: > 0 } avatar ? avatar : null,
                createdAt = DateTimeOffset.Parse(context.User.FindFirstValue(IdentityServiceExtensions.CreatedAtClaim)!, System.Globalization.CultureInfo.InvariantCulture),
                @operator = operators.CurrentValue.IsOperatorLogin(context.User.FindFirstValue(AccountTokens.LoginClaim)),
            })
            : SignInRequired(options.Value.IsConfigured);

    public static async Task<IResult> EraseMe(HttpContext context, AccountDirectory accounts, SessionTicketStore sessions, IOptions<SignInOptions> options)
    {
        if (context.User.FindFirstValue(AccountTokens.AccountIdClaim) is not { } accountId)
        {
            return SignInRequired(options.Value.IsConfigured);
        }

        if (!await accounts.EraseAsync(context.User, context.RequestAborted))
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "erasure_unavailable", "The account could not be erased right now. Please try again.");
        }

        await sessions.RemoveAllAsync(Guid.Parse(accountId));
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    /// <summary>Only a path on this site: anything else (another host, a scheme, <c>//host</c>, <c>/\host</c>) goes to the dashboard, so sign-in never redirects away.</summary>
    public static string LocalPathOrDefault(string? returnUrl) =>
        returnUrl is { Length: > 0 and <= 2048 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl)
            ? url
            : DefaultReturnUrl;

    /// <summary>Not signed in; says whether signing in is possible here at all, so a page can offer it or say it is off.</summary>
    public static IResult SignInRequired(bool available) => Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required",
        available ? "Sign in with GitHub first." : "Sign-in is not configured on this deployment.", extensions: new Dictionary<string, object?> { ["signInAvailable"] = available });

    public static IResult SignInNotConfigured() =>
        Problems.Of(StatusCodes.Status503ServiceUnavailable, "sign_in_not_configured", "Signing in with GitHub is not configured on this deployment.");

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex GitHubLogin();
}
