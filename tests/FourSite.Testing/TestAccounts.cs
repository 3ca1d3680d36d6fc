using System.Net.Http.Headers;
using System.Security.Claims;
using FourSite.ServiceDefaults.Identity;

namespace FourSite.Testing;

/// <summary>
/// Signed-in accounts for service tests: the tokens the gateway would forward, signed with a key the service under test
/// is given (<see cref="Settings"/>).
/// </summary>
public static class TestAccounts
{
    public const string SigningKey = "signing-key-for-tests-0123456789abcdef";

    private static readonly IdentityOptions Options = new() { SigningKey = SigningKey };

    public static Dictionary<string, string?> Settings => new() { [$"{IdentityOptions.Section}:SigningKey"] = SigningKey };

    /// <summary>A token for <paramref name="audience"/> saying <paramref name="accountId"/> is calling, with any further claims.</summary>
    public static string Token(string audience, Guid accountId, params (string Type, string Value)[] claims) =>
        AccountTokens.Issue(Options, audience, [new Claim(AccountTokens.AccountIdClaim, accountId.ToString()), .. claims.Select(claim => new Claim(claim.Type, claim.Value))], DateTime.UtcNow);

    /// <summary>The token the gateway sends to find or create the account of a GitHub user at sign-in.</summary>
    public static string SignInToken(long gitHubId, string login, string? name = null) =>
        AccountTokens.Issue(Options, "generation",
            [new Claim(AccountTokens.GitHubIdClaim, gitHubId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim(AccountTokens.LoginClaim, login),
             new Claim(AccountTokens.NameClaim, name ?? login)],
            DateTime.UtcNow);

    /// <summary>A token saying <paramref name="accountId"/> maintains <paramref name="repository"/> with <paramref name="permission"/>, as the gateway sends on a verification.</summary>
    public static string MaintainerToken(Guid accountId, string repository, string permission) =>
        Token("generation", accountId, (AccountTokens.MaintainsClaim, repository), (AccountTokens.PermissionClaim, permission));

    /// <summary>Sends <paramref name="request"/> as <paramref name="accountId"/> (when given) and with an owner token (when given).</summary>
    public static HttpRequestMessage As(this HttpRequestMessage request, string audience, Guid? accountId, string? ownerToken = null)
    {
        if (accountId is { } account)
        {
            request.Headers.Add(AccountTokens.Header, Token(audience, account));
        }

        if (ownerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ownerToken);
        }

        return request;
    }
}
