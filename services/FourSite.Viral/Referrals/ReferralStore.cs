using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Referrals;

/// <summary>A referral code handed to a site's owner.</summary>
public sealed record Referral(string Code, Guid OwnerId, Guid SiteId, DateTimeOffset CreatedAt);

/// <summary>What a referral code brought: visits through it, leads (clean and flagged) and Pro upgrades.</summary>
public sealed record ReferralStats(string Code, DateTimeOffset CreatedAt, int Clicks, int Conversions, int FlaggedConversions, int Upgrades);

/// <summary>Referral codes: one per owner and site, made on first request.</summary>
public sealed class ReferralStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>SQL: the referral code <c>r</c> belongs to a site that was not removed (a removed site's codes earn nothing).</summary>
    public const string OfLiveSite = "NOT EXISTS (SELECT 1 FROM viral_scores v WHERE v.website_id = r.website_id AND v.removed_at IS NOT NULL)";

    /// <summary>The owner's code for the site, and whether it was made now; it belongs to the site's current account.</summary>
    public async Task<(Referral Referral, bool Created)> IssueAsync(Guid ownerId, Guid siteId, Guid? accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var created = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition("""
            INSERT INTO referral_codes (code, owner_id, website_id, account_id, created_at) VALUES (@code, @ownerId, @siteId, @accountId, @now)
            ON CONFLICT (owner_id, website_id) DO UPDATE SET account_id = EXCLUDED.account_id WHERE referral_codes.account_id IS DISTINCT FROM EXCLUDED.account_id
            RETURNING (xmax = 0) AS created
            """, new { code = ReferralCodes.New(), ownerId, siteId, accountId, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleAsync<(string Code, DateTime CreatedAt)>(new CommandDefinition(
            "SELECT code, created_at FROM referral_codes WHERE owner_id = @ownerId AND website_id = @siteId",
            new { ownerId, siteId }, cancellationToken: cancellationToken));
        return (new Referral(row.Code, ownerId, siteId, Utc(row.CreatedAt)), created == true);
    }

    public async Task<ReferralStats?> FindAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Code, DateTime CreatedAt, int Clicks, int Conversions, int Flagged, int Upgrades)>(new CommandDefinition("""
            SELECT r.code, r.created_at,
                (SELECT count(*)::int FROM share_visits v WHERE v.referral_code = r.code),
                (SELECT count(*)::int FROM conversions c WHERE c.referral_code = r.code AND c.verified),
                (SELECT count(*)::int FROM conversions c WHERE c.referral_code = r.code AND NOT c.verified),
                (SELECT count(*)::int FROM upgrades u WHERE u.referral_code = r.code)
            FROM referral_codes r WHERE r.code = @code
            """, new { code }, cancellationToken: cancellationToken));
        return row.Code is null ? null : new ReferralStats(row.Code, Utc(row.CreatedAt), row.Clicks, row.Conversions, row.Flagged, row.Upgrades);
    }
}
