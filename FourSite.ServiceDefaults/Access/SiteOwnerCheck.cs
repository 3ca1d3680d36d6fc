using System.Globalization;
using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// The owner check of every owner call: a credential first (401, so an anonymous caller learns nothing), then the site
/// (404), then whether the credential owns it (403).
/// </summary>
public static class SiteOwnerCheck
{
    /// <summary>How long a caller waits before asking again about a site not known yet (its event is usually a moment away).</summary>
    public const int RetryAfterSeconds = 2;

    /// <returns>The owner when the caller owns the site; otherwise the problem to answer.</returns>
    /// <param name="find">The service's owner lookup (its <see cref="ISiteOwners"/> store's).</param>
    public static async Task<(TOwner? Owner, IResult? Refusal)> RequireAsync<TOwner>(HttpContext context, Guid siteId,
        Func<Guid, CancellationToken, Task<TOwner?>> find, UnknownSite unknown, CancellationToken cancellationToken) where TOwner : class, ISiteOwner
    {
        if (!SiteAccess.HasCredentials(context))
        {
            return (null, OwnerAccess.TokenRequired());
        }

        if (await find(siteId, cancellationToken) is not { } owner)
        {
            return (null, SiteNotFound(context, unknown));
        }

        if (SiteAccess.Check(context, owner.OwnerTokenHash, owner.AccountId) is { } denied)
        {
            return (null, denied);
        }

        return (owner, null);
    }

    /// <summary>Whether the caller owns the site (for answers that only show more to the owner).</summary>
    public static bool Owns(HttpContext context, ISiteOwner? owner) =>
        owner is not null && SiteAccess.HasCredentials(context) && SiteAccess.Check(context, owner.OwnerTokenHash, owner.AccountId) is null;

    public static IResult SiteNotFound(HttpContext context, UnknownSite unknown)
    {
        if (unknown == UnknownSite.NotFound)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");
        }

        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site (a new site may take a moment to be known: try again shortly).");
    }
}
