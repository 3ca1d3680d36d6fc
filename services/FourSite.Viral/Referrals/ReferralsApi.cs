using FluentValidation;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.Viral.Ownership;

namespace FourSite.Viral.Referrals;

/// <summary><c>/api/referrals</c>: referral codes for site owners, and what each brought.</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/referrals").WithTags("Referrals");

        api.MapPost("", Issue)
            .Requires(Credential.SiteOwner)
            .WithName("IssueReferralCode")
            .WithSummary("The owner's referral code for their site (the owner token as Bearer, or the owning account with ?siteId=); made on first call, the same code after.");

        api.MapGet("/{code}", Find)
            .WithName("GetReferral")
            .WithSummary("A referral code's clicks, conversions (clean and flagged) and Pro upgrades.");

        return app;
    }

    public static async Task<IResult> Issue(string? siteId, HttpContext context, SiteOwnerStore owners, ReferralStore referrals, CancellationToken cancellationToken)
    {
        SiteOwner? site;
        if (siteId is not null)
        {
            // A named site: its owning account or its token holder.
            if (!SiteAccess.HasCredentials(context))
            {
                return OwnerAccess.TokenRequired();
            }

            if (!Guid.TryParse(siteId, out var id))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["siteId"] = ["siteId must be a UUID."] });
            }

            (site, var refusal) = await SiteOwnerCheck.RequireAsync(context, id, owners.FindAsync, UnknownSite.NotYetKnown, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }
        }
        else if (Credentials.BearerToken(context.Request) is { } token)
        {
            site = await owners.FindByTokenHashAsync(Credentials.Hash(token), cancellationToken);
            if (site is null)
            {
                return Problems.Of(StatusCodes.Status401Unauthorized, "unknown_owner_token", "No site was generated with this owner token (a new site may take a moment to be known).");
            }
        }
        else
        {
            return OwnerAccess.TokenRequired();
        }

        var (referral, created) = await referrals.IssueAsync(site!.OwnerId, site.SiteId, site.AccountId, cancellationToken);
        var response = new ReferralResponse(referral.Code, referral.OwnerId, referral.SiteId, site.Slug is null ? null : $"/s/{site.Slug}?ref={referral.Code}", referral.CreatedAt);
        return created ? TypedResults.Created($"/api/referrals/{referral.Code}", response) : TypedResults.Ok(response);
    }

    public static async Task<IResult> Find(string code, ReferralStore referrals, CancellationToken cancellationToken) =>
        !ReferralCodes.IsWellFormed(code) ? Problems.Of(StatusCodes.Status400BadRequest, "invalid_referral_code", "A referral code is 4 to 32 letters, digits, '-' or '_'.")
        : await referrals.FindAsync(code, cancellationToken) is { } stats ? TypedResults.Ok(stats)
        : Problems.Of(StatusCodes.Status404NotFound, "referral_not_found", "No such referral code.");
}

/// <summary>A referral code as handed to its owner; <see cref="SharePath"/> is the site's address carrying the code.</summary>
public sealed record ReferralResponse(string Code, Guid OwnerId, Guid SiteId, string? SharePath, DateTimeOffset CreatedAt);
