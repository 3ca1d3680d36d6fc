using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.Viral.Data;

namespace FourSite.Viral.Apis;

/// <summary>Owner calls: the site's owner token as <c>Authorization: Bearer …</c>, checked against its stored hash.</summary>
public static class OwnerAccess
{
    public static IResult TokenRequired() =>
        Problems.Of(StatusCodes.Status401Unauthorized, "owner_token_required", "This call needs the site's owner token as a Bearer token.");

    /// <summary>Null when the request carries the owner token of <paramref name="site"/>; otherwise the problem to answer.</summary>
    public static IResult? Check(HttpRequest request, SiteOwner site) =>
        Credentials.BearerToken(request) is not { } token ? TokenRequired()
        : Credentials.SecretEquals(Credentials.Hash(token), site.OwnerTokenHash) ? null
        : Problems.Of(StatusCodes.Status403Forbidden, "not_site_owner", "This token does not own that site.");
}
