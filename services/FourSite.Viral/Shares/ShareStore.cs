using System.Net;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Viral;
using FourSite.ServiceDefaults.Outbox;
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
    /// <remarks>Three round trips: the count (which takes the site's row in share mode), the share with its announcement, the commit.</remarks>
    public async Task<double?> TrackAsync(Guid shareId, Guid websiteId, string platform, string shareUrl, string? referralCode, Arrival sharer, IPAddress? clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await scores.RecordAsync(connection, transaction, websiteId, ScoreChange.Share(platform), now, cancellationToken) is not { } score)
        {
            return null;
        }

        var parameters = new DynamicParameters(new { shareId, websiteId, platform, shareUrl, referralCode, sessionId = sharer.SessionId, clientIp = clientIp?.ToString(), clientNetwork = sharer.ClientNetwork, now });
        parameters.AddDynamicParams(OutboxRow.For(new ShareTracked(shareId, websiteId, platform, referralCode, score, now)));
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO shares (id, website_id, platform, share_url, referral_code, session_id, client_ip, client_network, created_at)
            VALUES (@shareId, @websiteId, @platform, @shareUrl, @referralCode, @sessionId, @clientIp::inet, @clientNetwork, @now);
            INSERT INTO {Outbox.InsertTarget} VALUES ({Outbox.Values})
            """, parameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return score;
    }

    /// <summary>
    /// A site's viral record with its score as of now (shares keep fading after the last event): its folded record and
    /// the increments not folded yet, read from one snapshot.
    /// </summary>
    public async Task<SiteViralStats?> FindAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition($"""
            SELECT featured AS Featured, lcp_p75 AS LcpP75, cls_p75 AS ClsP75, inp_p75 AS InpP75, vitals_samples AS Samples, vitals_assessment AS Assessment
            FROM viral_scores WHERE website_id = @websiteId AND removed_at IS NULL;
            {ScoreFolder.SelectCounters};
            SELECT {ScoreFolder.IncrementColumns} FROM score_increments WHERE website_id = @websiteId;
            SELECT platform AS Platform, shares AS Shares FROM share_counts WHERE website_id = @websiteId;
            """, new { websiteId }, transaction, cancellationToken: cancellationToken));
        var site = await results.ReadSingleOrDefaultAsync<SiteStanding>();
        var counters = await results.ReadSingleOrDefaultAsync<ScoreCounters>();
        var increments = (await results.ReadAsync<ScoreCounters>()).ToList();
        var folded = await results.ReadAsync<ScoreCounters>();
        if (site is null || counters is null)
        {
            return null;
        }

        var total = counters.Plus(increments, now);
        var byPlatform = folded.Concat(increments).Where(row => row.Platform.Length > 0).GroupBy(row => row.Platform)
            .Select(platform => (platform.Key, Shares: platform.Sum(row => row.Shares))).Where(platform => platform.Shares > 0)
            .ToDictionary(platform => platform.Key, platform => platform.Shares);
        var vitals = new VitalsView(site.LcpP75, site.ClsP75, site.InpP75, site.Samples, site.Assessment ?? VitalsView.InsufficientSamples);
        return new SiteViralStats(websiteId, total.Score, total.Shares, byPlatform, total.Visits, total.Leads, site.Featured, vitals);
    }

    /// <summary>A site's place in the showcase and its real users' vitals, as its record holds them.</summary>
    private sealed class SiteStanding
    {
        public bool Featured { get; init; }
        public double? LcpP75 { get; init; }
        public double? ClsP75 { get; init; }
        public double? InpP75 { get; init; }
        public int Samples { get; init; }
        public string? Assessment { get; init; }
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
        // a circle. Then the site's row, locked as no event can share it: every event share-locks it before counting, so
        // none slips in behind the deletes.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM conversions WHERE website_id = @websiteId", new { websiteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, removed_at) VALUES (@websiteId, now())
            ON CONFLICT (website_id) DO UPDATE SET removed_at = coalesce(viral_scores.removed_at, now()), owner_token_hash = NULL,
                score = 0, shares = 0, visits_from_shares = 0, leads_from_shares = 0, share_points = 0, featured = false
            """, new { websiteId }, transaction, cancellationToken: cancellationToken));
        // The row lock in share mode every event takes: from here on, none is counted for the site.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM viral_scores WHERE website_id = @websiteId FOR UPDATE", new { websiteId }, transaction, cancellationToken: cancellationToken));
        // Conversions again: one may have committed between the first delete and the row lock.
        foreach (var table in new[] { "share_visits", "conversions", "shares", "score_increments", "share_counts", "auto_featuring_events" })
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
