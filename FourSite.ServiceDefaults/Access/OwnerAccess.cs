using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// Owner calls: the site's owner token as <c>Authorization: Bearer …</c>, checked against the hash each service learnt
/// from <c>SiteGenerated</c> (the token itself is never stored).
/// </summary>
public static class OwnerAccess
{
    public static IResult TokenRequired() =>
        Problems.Of(StatusCodes.Status401Unauthorized, "owner_token_required", "This call needs the site's owner token as a Bearer token.");

    /// <summary>Null when the request carries the token whose hash is <paramref name="ownerTokenHash"/>; otherwise the problem to answer (403 when no hash is known).</summary>
    public static IResult? Check(HttpRequest request, string? ownerTokenHash) =>
        Credentials.BearerToken(request) is not { } token ? TokenRequired()
        : Credentials.SecretEquals(Credentials.Hash(token), ownerTokenHash) ? null
        : Problems.Of(StatusCodes.Status403Forbidden, "not_site_owner", "This token does not own that site.");

    /// <summary>The answer for anything new about a site its owner removed.</summary>
    public static IResult SiteRemoved() =>
        Problems.Of(StatusCodes.Status410Gone, "site_removed", "This site was removed by its owner.");
}
