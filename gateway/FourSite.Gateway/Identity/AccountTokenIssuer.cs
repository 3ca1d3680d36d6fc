using System.Security.Claims;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Identity;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Identity;

/// <summary>Signs the short-lived tokens in which the gateway tells a service (its audience) who is calling.</summary>
public sealed class AccountTokenIssuer(IOptions<IdentityOptions> options, TimeProvider clock)
{
    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>The signed-in account of <paramref name="user"/>, for <paramref name="audience"/>; null when nobody is signed in.</summary>
    public string? ForAccount(ClaimsPrincipal user, string audience, params Claim[] extra)
    {
        if (!IsConfigured || user.FindFirst(AccountTokens.AccountIdClaim) is not { } account)
        {
            return null;
        }

        Claim[] claims = [account, .. user.Claims.Where(claim => claim.Type == AccountTokens.LoginClaim), .. extra];
        return AccountTokens.Issue(options.Value, audience, claims, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>A GitHub user the gateway just signed in, for Generation to find or create their account.</summary>
    public string ForSignIn(GitHubUser user) => AccountTokens.Issue(options.Value, ResourceNames.Generation,
    [
        new Claim(AccountTokens.GitHubIdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(AccountTokens.LoginClaim, user.Login),
        new Claim(AccountTokens.NameClaim, user.Name ?? user.Login),
        new Claim(AccountTokens.AvatarUrlClaim, user.AvatarUrl ?? ""),
    ], clock.GetUtcNow().UtcDateTime);
}
