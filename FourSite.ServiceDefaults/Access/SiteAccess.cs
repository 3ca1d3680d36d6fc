using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// Who may act as a site's owner: the signed-in account that owns it (vouched for by the gateway), or the holder of its
/// owner token (<c>Authorization: Bearer …</c>). Anyone else is refused: 401 with no credential at all, 403 otherwise.
/// </summary>
public static class SiteAccess
{
    /// <summary>Whether the request carries any owner credential: checked before a site is looked up, so an anonymous caller cannot learn which sites exist.</summary>
    public static bool HasCredentials(HttpContext context) => context.AccountId() is not null || Credentials.BearerToken(context.Request) is not null;

    /// <summary>Null when the caller owns the site; otherwise the problem to answer.</summary>
    public static IResult? Check(HttpContext context, string? ownerTokenHash, Guid? ownerAccountId)
    {
        var account = context.AccountId();
        if (ownerAccountId is not null && account == ownerAccountId)
        {
            return null;
        }

        if (Credentials.BearerToken(context.Request) is not null)
        {
            return OwnerAccess.Check(context.Request, ownerTokenHash);
        }

        return account is null ? OwnerAccess.TokenRequired() : NotOwner();
    }

    public static IResult NotOwner() =>
        Problems.Of(StatusCodes.Status403Forbidden, "not_site_owner", "This account or token does not own that site.");

    public static IResult SignInRequired() =>
        Problems.Of(StatusCodes.Status401Unauthorized, "sign_in_required", "This call needs a signed-in account (sign in with GitHub).");
}
