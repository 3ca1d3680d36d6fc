using System.Security.Claims;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Ownership;

/// <summary>
/// Sites and accounts: an account lists its sites, claims an anonymous one with its owner token, and verifies one as a
/// maintainer of its repository (the gateway checks that with GitHub and says so in its signed token).
/// </summary>
public static class OwnershipApi
{
    /// <summary>The repository permissions that make someone a maintainer.</summary>
    public static readonly IReadOnlyList<string> MaintainerPermissions = ["admin", "maintain", "push"];

    public static IEndpointRouteBuilder MapOwnershipApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites").WithTags("Sites");

        api.MapGet("/", ListMine)
            .Requires(Credential.Account)
            .WithName("ListMySites")
            .WithSummary("The signed-in account's sites, from any browser.");

        api.MapPost("/{siteId:guid}/claim", Claim)
            .Requires(Credential.Account)
            .WithName("ClaimSite")
            .WithSummary("Moves an anonymous site into the signed-in account (the site's owner token as Bearer).");

        api.MapPost("/{siteId:guid}/verify", Verify)
            .Requires(Credential.Account)
            .WithName("VerifySite")
            .WithSummary("Marks the site as its repository's maintainers' (a maintainer takes over an unverified site of someone else).");

        return app;
    }

    public static async Task<IResult> ListMine(HttpContext context, SiteOwnerStore owners, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        var sites = await owners.ListAsync(accountId, cancellationToken);
        return TypedResults.Ok(sites.Select(site => new
        {
            site.SiteId,
            site.Slug,
            site.Title,
            repository = $"{site.RepoOwner}/{site.RepoName}",
            verified = site.VerifiedPermission is not null,
            permission = site.VerifiedPermission,
            createdAt = Utc(site.CreatedAt),
            suspension = site.Suspension is { } kind ? new Sites.SuspensionView(kind, site.SuspensionReason ?? "", Utc(site.SuspendedAt!.Value)) : null,
        }));
    }

    public static async Task<IResult> Claim(Guid siteId, HttpContext context, SiteOwnerStore owners, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        if (await owners.FindAsync(siteId, cancellationToken) is not { } owner)
        {
            return SiteNotFound();
        }

        // Another account's site is theirs, whatever token comes with the call.
        if (owner.AccountId is not null && owner.AccountId != accountId)
        {
            return SiteAccess.NotOwner();
        }

        if (OwnerAccess.Check(context.Request, owner.OwnerTokenHash) is { } denied)
        {
            return denied;
        }

        return await owners.ClaimAsync(siteId, accountId, cancellationToken)
            ? TypedResults.Ok(new { siteId, accountId, verified = owner.Verified })
            : SiteAccess.NotOwner();
    }

    public static async Task<IResult> Verify(Guid siteId, HttpContext context, SiteOwnerStore owners, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        if (await owners.FindAsync(siteId, cancellationToken) is not { } owner)
        {
            return SiteNotFound();
        }

        // Only the gateway can say who maintains what: it asked GitHub with the user's own token.
        var maintains = context.User.FindFirstValue(AccountTokens.MaintainsClaim);
        var permission = context.User.FindFirstValue(AccountTokens.PermissionClaim);
        if (!string.Equals(maintains, owner.Repository, StringComparison.OrdinalIgnoreCase) || permission is null || !MaintainerPermissions.Contains(permission))
        {
            return NotAMaintainer(owner.Repository);
        }

        return await owners.VerifyAsync(siteId, accountId, permission, cancellationToken) switch
        {
            VerificationOutcome.Verified => TypedResults.Ok(new { verified = true, permission, takenOver = false }),
            VerificationOutcome.TakenOver => TypedResults.Ok(new { verified = true, permission, takenOver = true }),
            VerificationOutcome.VerifiedElsewhere => Problems.Of(StatusCodes.Status409Conflict, "site_verified_elsewhere",
                "Another maintainer of this repository has already verified this site."),
            _ => SiteNotFound(),
        };
    }

    public static IResult NotAMaintainer(string repository) =>
        Problems.Of(StatusCodes.Status403Forbidden, "not_a_maintainer", $"GitHub does not list this account as a maintainer of {repository} (admin, maintain or push).");

    private static IResult SiteNotFound() => Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");
}
