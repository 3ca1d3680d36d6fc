using System.Net;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Identity;

namespace FourSite.Gateway.Identity;

/// <summary>
/// The accounts, kept by Generation (which owns sites and so their owners): found or created at sign-in, erased on
/// request. Called with the gateway's signed token; <c>/api/accounts</c> is not routed to the public.
/// </summary>
public sealed class AccountDirectory(HttpClient http, AccountTokenIssuer tokens)
{
    public async Task<SignedInAccount> SignInAsync(GitHubUser user, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/sign-in");
        request.Headers.Add(AccountTokens.Header, tokens.ForSignIn(user));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SignedInAccount>(cancellationToken))!;
    }

    /// <summary>Erases the signed-in account; true when it was erased now or was already gone.</summary>
    public async Task<bool> EraseAsync(System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/accounts/me");
        request.Headers.Add(AccountTokens.Header, tokens.ForAccount(user, ResourceNames.Generation)!);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound;
    }
}

/// <summary>An account as Generation answers it at sign-in.</summary>
public sealed record SignedInAccount(Guid AccountId, string Login, string? Name, string? AvatarUrl, DateTimeOffset CreatedAt, bool SignedUp);
