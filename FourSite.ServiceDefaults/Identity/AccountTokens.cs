using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FourSite.ServiceDefaults.Identity;

/// <summary>
/// The short-lived token in which the gateway tells a service who is calling: signed with the shared key, addressed to
/// one service (its audience), carried in <see cref="Header"/>. The gateway removes whatever a client sends there.
/// </summary>
public static class AccountTokens
{
    public const string Header = "X-FourSite-Account";
    public const string Issuer = "foursite-gateway";
    public const string Scheme = "account";

    /// <summary>The account's id (the token's subject).</summary>
    public const string AccountIdClaim = "sub";
    public const string LoginClaim = "login";
    public const string NameClaim = "name";
    public const string AvatarUrlClaim = "avatar_url";
    public const string GitHubIdClaim = "github_id";

    /// <summary>On a verification, the repository (owner/name) whose maintainer the gateway saw the account to be, and how.</summary>
    public const string MaintainsClaim = "maintains";
    public const string PermissionClaim = "permission";

    public static SymmetricSecurityKey KeyFrom(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    /// <summary>A token for <paramref name="audience"/> (a service's name) carrying <paramref name="claims"/>.</summary>
    public static string Issue(IdentityOptions options, string audience, IEnumerable<Claim> claims, DateTime now)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now + options.TokenLifetime,
            SigningCredentials = new SigningCredentials(KeyFrom(options.SigningKey!), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static TokenValidationParameters ValidationFor(IdentityOptions options, string audience) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = audience,
        IssuerSigningKey = KeyFrom(options.SigningKey!),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = LoginClaim,
    };
}
