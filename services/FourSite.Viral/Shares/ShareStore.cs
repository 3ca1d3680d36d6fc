using System.Net;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Viral;
using FourSite.Viral.Billing;
using FourSite.Viral.Referrals;
using FourSite.Viral.Scores;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Shares;

/// <summary>
/// Shares and each site's viral record in PostgreSQL. A share, the site's recomputed score and the announcement commit
/// together.
/// </summary>
public sealed class ShareStore(NpgsqlDataSource dataSource, ServiceDefaults.Outbox.Outbox outbox, ScoreRecorder scores, TimeProvider clock)
{
    /// <returns>The site's new score; null when the site was removed (nothing is stored).</returns>
    public async Task<double?> TrackAsync(Guid shareId, Guid websiteId, string platform, string shareUrl, string? referralCode, Arrival sharer, IPAddress? clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO shares (id, website_id, platform, share_url, referral_code, session_id, client_ip, client_network, created_at)
            VALUES (@shareId, @websiteId, @platform, @shareUrl, @referralCode, @sessionId, @clientIp::inet, @clientNetwork, @now)
            """, new { shareId, websiteId, platform, shareUrl, referralCode, sessionId = sharer.SessionId, clientIp = clientIp?.ToString(), clientNetwork = sharer.ClientNetwork, now },
            transaction, cancellationToken: cancellationToken));
        if (await scores.RecordAsync(connection, transaction, websiteId, ScoreChange.Share(platform), now, cancellationToken) is not { } score)
        {
            return null;
        }

        await outbox.PublishAsync(new ShareTracked(shareId, websiteId, platform, referralCode, score, now), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return score;
    }

    /// <summary>A site's viral record with its score as of now (shares keep fading after the last event).</summary>
    public async Task<SiteViralStats?> FindAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var site = await connection.QuerySingleOrDefaultAsync<(Guid Id, int Shares, int Visits, int Leads, bool Featured, double SharePoints, DateTime PointsAt,
            double? Lcp, double? Cls, double? Inp, int Samples, string? Assessment)>(new CommandDefinition("""
            SELECT website_id, shares, visits_from_shares, leads_from_shares, featured, share_points, share_points_at,
                   lcp_p75, cls_p75, inp_p75, vitals_samples, vitals_assessment
            FROM viral_scores
            WHERE website_id = @websiteId AND removed_at IS NULL
            """, new { websiteId }, cancellationToken: cancellationToken));
        if (site.Id == Guid.Empty)
        {
            return null;
        }

        var byPlatform = (await connection.QueryAsync<(string Platform, int Count)>(new CommandDefinition(
            "SELECT platform, count(*)::int FROM shares WHERE website_id = @websiteId GROUP BY platform", new { websiteId }, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Platform, row => row.Count);
        var pointsNow = site.SharePoints * ViralScoreCalculator.Fade(now - Utc(site.PointsAt));
        var score = ViralScoreCalculator.FromParts(pointsNow, site.Visits, site.Leads);
        var vitals = new VitalsView(site.Lcp, site.Cls, site.Inp, site.Samples, site.Assessment ?? VitalsView.InsufficientSamples);
        return new SiteViralStats(websiteId, score, site.Shares, byPlatform, site.Visits, site.Leads, site.Featured, vitals);
    }

    /// <summary>
    /// Records a new site (from <c>SiteGenerated</c>); a repeated event changes nothing. One arriving after the removal
    /// still dates its owner's relationship, but never brings back the owner token.
    /// </summary>
    public async Task RememberSiteAsync(SiteGenerated site, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, slug, title, owner_id, owner_token_hash, account_id, site_created_at)
            VALUES (@siteId, @slug, @title, @ownerId, @ownerTokenHash, @accountId, @createdAt)
            ON CONFLICT (website_id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, owner_id = EXCLUDED.owner_id,
                site_created_at = EXCLUDED.site_created_at,
                owner_token_hash = CASE WHEN viral_scores.removed_at IS NOT NULL THEN NULL
                                        WHEN viral_scores.owner_changed_at IS NOT NULL THEN viral_scores.owner_token_hash
                                        ELSE EXCLUDED.owner_token_hash END,
                account_id = CASE WHEN viral_scores.owner_changed_at IS NOT NULL THEN viral_scores.account_id ELSE EXCLUDED.account_id END
            """, new { site.SiteId, site.Slug, site.Title, site.OwnerId, site.OwnerTokenHash, site.AccountId, site.CreatedAt }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Forgets a removed site (from <c>SiteRemoved</c>): its shares, visits, conversions, score and place in the showcase go;
    /// its row stays as a tombstone (its owner token cleared) so nothing is counted for it again, its referral codes stop
    /// working, and its creation time still dates its owner's relationship. Upgrades and commissions stay, as records of money.
    /// </summary>
    public async Task ForgetSiteAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Conversions first, as a person's erasure takes them (before the site's row): the two never wait on each other in
        // a circle. Then the site's row: every event takes its lock before counting, so none slips in behind the deletes.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM conversions WHERE website_id = @websiteId", new { websiteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, removed_at) VALUES (@websiteId, now())
            ON CONFLICT (website_id) DO UPDATE SET removed_at = coalesce(viral_scores.removed_at, now()), owner_token_hash = NULL,
                score = 0, shares = 0, visits_from_shares = 0, leads_from_shares = 0, share_points = 0, featured = false
            """, new { websiteId }, transaction, cancellationToken: cancellationToken));
        // Conversions again: one may have committed between the first delete and the row lock.
        foreach (var table in new[] { "share_visits", "conversions", "shares", "auto_featuring_events" })
        {
#pragma warning disable S2077 // Dynamic SQL checked: the table comes from the constant list above; the site is a parameter.
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM {table} WHERE website_id = @websiteId", new { websiteId }, transaction, cancellationToken: cancellationToken));
#pragma warning restore S2077
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The Pro showcase: featured sites, Pro sites first, then highest score first, a page at a time. Only sites Generation announced (a slug
    /// to link to) and no operator withheld: shares of an id no one generated never put it on show.
    /// </summary>
    public async Task<IReadOnlyList<ShowcaseEntry>> ShowcaseAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid SiteId, string? Slug, string? Title, double Score, DateTime FeaturedAt, bool Pro)>(new CommandDefinition($"""
            SELECT v.website_id, v.slug, v.title, v.score, f.featured_at,
                   EXISTS (SELECT 1 FROM subscriptions s WHERE s.website_id = v.website_id AND {SubscriptionLifecycle.ProUntil} > @now) AS pro
            FROM auto_featuring_events f JOIN viral_scores v ON v.website_id = f.website_id
            WHERE v.showcase_withheld_at IS NULL AND v.removed_at IS NULL AND v.slug IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM suspended_sites x WHERE x.site_id = v.website_id AND x.kind IS NOT NULL)
            ORDER BY pro DESC, v.score DESC, f.featured_at, v.website_id
            LIMIT @pageSize OFFSET @offset
            """, new { pageSize, offset = (page - 1) * pageSize, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        return rows.Select(row => new ShowcaseEntry(row.SiteId, row.Slug, row.Title, row.Score, Utc(row.FeaturedAt), row.Pro)).ToList();
    }
}

/// <summary>
/// Real users' Core Web Vitals of a site over 7 days, at the 75th percentile (LCP and INP in ms), and whether they let it
/// be featured: <c>good</c>, <c>poor</c>, or <c>insufficient_samples</c> (fewer than 20 beacons yet).
/// </summary>
public sealed record VitalsView(double? LcpP75, double? ClsP75, double? InpP75, int Samples, string Assessment)
{
    public const string InsufficientSamples = "insufficient_samples";
}

/// <summary>A site in the Pro showcase, and whether it is Pro (which puts it first).</summary>
public sealed record ShowcaseEntry(Guid SiteId, string? Slug, string? Title, double ViralScore, DateTimeOffset FeaturedAt, bool Pro);

/// <summary>A site's viral standing.</summary>
public sealed record SiteViralStats(Guid WebsiteId, double ViralScore, int Shares, IReadOnlyDictionary<string, int> SharesByPlatform, int VisitsFromShares, int LeadsFromShares, bool Featured,
    VitalsView Vitals)
{
    /// <summary>
    /// The site's K-factor: invites per user (its one owner's shares) × the conversion rate of what those shares
    /// brought (leads per visit, or per share while no visits are counted).
    /// </summary>
    public double KFactor => Shares == 0 ? 0 : Math.Round(Shares * ((double)LeadsFromShares / Math.Max(VisitsFromShares, Shares)), 3);
}
