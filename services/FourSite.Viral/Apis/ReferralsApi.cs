using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Identity;
using FourSite.Viral.Data;
using FourSite.Viral.Growth;

namespace FourSite.Viral.Apis;

/// <summary>Referral codes for site owners, what they brought, and the commission schedule.</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/referrals", Issue)
            .Requires(Credential.SiteOwner)
            .WithTags("Growth")
            .WithName("IssueReferralCode")
            .WithSummary("The owner's referral code for their site (the owner token as Bearer, or the owning account with ?siteId=); made on first call, the same code after.");

        app.MapGet("/api/referrals/{code}", Find)
            .WithTags("Growth")
            .WithName("GetReferral")
            .WithSummary("A referral code's clicks, conversions (clean and flagged) and Pro upgrades.");

        app.MapGet("/api/commissions/rate", Rate)
            .WithTags("Growth")
            .WithName("GetCommissionRate")
            .WithSummary("The referral commission rate (0.20 to 0.40) for a relationship of so many months, or for an account (or owner) as of today.");

        return app;
    }

    public static async Task<IResult> Issue(string? siteId, HttpContext context, SiteOwners owners, ReferralStore referrals, CancellationToken cancellationToken)
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

    public const int MaxMonths = 1200;

    public static async Task<IResult> Rate(string? userId, string? months, SiteOwners owners, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Guid? owner = null;
        int? relationshipMonths = null;
        if (userId is not null)
        {
            if (Guid.TryParse(userId, out var parsed)) owner = parsed;
            else errors["userId"] = ["userId must be a UUID (an owner id)."];
        }

        if (months is not null)
        {
            if (int.TryParse(months, out var parsed) && parsed is >= 0 and <= MaxMonths) relationshipMonths = parsed;
            else errors["months"] = [$"months must be a whole number from 0 to {MaxMonths}."];
        }

        if (errors.Count == 0 && owner is null && relationshipMonths is null)
        {
            errors["userId"] = ["Give userId, months, or both."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (relationshipMonths is null)
        {
            // userId is an account (its first sign-in or first site) or, for sites generated anonymously, a site owner.
            var since = await owners.AccountRelationshipStartAsync(owner!.Value, cancellationToken) ?? await owners.RelationshipStartAsync(owner.Value, cancellationToken);
            relationshipMonths = since is null ? 0 : CommissionSchedule.MonthsBetween(since.Value, clock.GetUtcNow());
        }

        var schedule = CommissionSchedule.Tiers.Select(tier => new CommissionTier(tier.FromMonths, tier.Rate)).ToList();
        return TypedResults.Ok(new CommissionRateResponse(owner, relationshipMonths.Value, CommissionSchedule.Rate(relationshipMonths.Value), schedule));
    }
}

/// <summary>A referral code as handed to its owner; <see cref="SharePath"/> is the site's address carrying the code.</summary>
public sealed record ReferralResponse(string Code, Guid OwnerId, Guid SiteId, string? SharePath, DateTimeOffset CreatedAt);

/// <summary>The rate for a relationship, and the whole schedule it comes from.</summary>
public sealed record CommissionRateResponse(Guid? UserId, int Months, decimal Rate, IReadOnlyList<CommissionTier> Schedule);

public sealed record CommissionTier(int FromMonths, decimal Rate);
