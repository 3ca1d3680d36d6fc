using System.Net;
using Dapper;
using FourSite.Contracts.Viral;
using Microsoft.Extensions.Options;
using FourSite.Viral.Scoring;
using Npgsql;

namespace FourSite.Viral.Data;

/// <summary>
/// Shares and each site's viral record in PostgreSQL. A share, the site's recomputed score and the announcement commit
/// together; the site's row lock orders concurrent shares of one site.
/// </summary>
public sealed class ShareStore(NpgsqlDataSource dataSource, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock, IOptions<ViralOptions> options)
{
    /// <summary>Older shares have faded below a hundredth of their weight and are left out of the score.</summary>
    private static readonly TimeSpan ScoredWindow = TimeSpan.FromDays(100);

    public async Task<double> TrackAsync(Guid shareId, Guid websiteId, string platform, string shareUrl, string? referralCode, string? sessionId, IPAddress? clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO shares (id, website_id, platform, share_url, referral_code, session_id, client_ip, created_at)
            VALUES (@shareId, @websiteId, @platform, @shareUrl, @referralCode, @sessionId, @clientIp::inet, @now)
            """, new { shareId, websiteId, platform, shareUrl, referralCode, sessionId, clientIp = clientIp?.ToString(), now }, transaction, cancellationToken: cancellationToken));
        var site = await connection.QuerySingleAsync<(int Visits, int Leads)>(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, shares) VALUES (@websiteId, 1)
            ON CONFLICT (website_id) DO UPDATE SET shares = viral_scores.shares + 1
            RETURNING visits_from_shares, leads_from_shares
            """, new { websiteId }, transaction, cancellationToken: cancellationToken));
        var score = ViralScoreCalculator.Score(await RecentSharesAsync(connection, transaction, websiteId, now, cancellationToken), site.Visits, site.Leads, now);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE viral_scores SET score = @score, updated_at = now() WHERE website_id = @websiteId",
            new { score, websiteId }, transaction, cancellationToken: cancellationToken));
        await outbox.PublishAsync(new ShareTracked(shareId, websiteId, platform, referralCode, score, now), transaction, cancellationToken);
        await FeatureIfCrossedAsync(connection, transaction, websiteId, score, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return score;
    }

    /// <summary>A site's viral record with its score as of now (shares keep fading after the last event).</summary>
    public async Task<SiteViralStats?> FindAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var site = await connection.QuerySingleOrDefaultAsync<(Guid Id, int Shares, int Visits, int Leads, bool Featured)>(new CommandDefinition("""
            SELECT website_id, shares, visits_from_shares, leads_from_shares, featured FROM viral_scores WHERE website_id = @websiteId
            """, new { websiteId }, cancellationToken: cancellationToken));
        if (site.Id == Guid.Empty)
        {
            return null;
        }

        var byPlatform = (await connection.QueryAsync<(string Platform, int Count)>(new CommandDefinition(
            "SELECT platform, count(*)::int FROM shares WHERE website_id = @websiteId GROUP BY platform", new { websiteId }, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Platform, row => row.Count);
        var score = ViralScoreCalculator.Score(await RecentSharesAsync(connection, null, websiteId, now, cancellationToken), site.Visits, site.Leads, now);
        return new SiteViralStats(websiteId, score, site.Shares, byPlatform, site.Visits, site.Leads, site.Featured);
    }

    /// <summary>Records a new site (from <c>SiteGenerated</c>); a repeated event changes nothing.</summary>
    public async Task RememberSiteAsync(Guid websiteId, string slug, string title, Guid ownerId, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, slug, title, owner_id, site_created_at) VALUES (@websiteId, @slug, @title, @ownerId, @createdAt)
            ON CONFLICT (website_id) DO UPDATE SET slug = EXCLUDED.slug, title = EXCLUDED.title, owner_id = EXCLUDED.owner_id, site_created_at = EXCLUDED.site_created_at
            """, new { websiteId, slug, title, ownerId, createdAt }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Features a site the first time its score reaches the threshold. The unique site key of
    /// <c>auto_featuring_events</c> makes it happen once, however many events cross the line together.
    /// </summary>
    private async Task FeatureIfCrossedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, double score, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var threshold = options.Value.FeatureThreshold;
        if (score < threshold)
        {
            return;
        }

        var featured = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO auto_featuring_events (id, website_id, viral_score, threshold, featured_at)
            VALUES (@id, @websiteId, @score, @threshold, @now)
            ON CONFLICT (website_id) DO NOTHING
            """, new { id = Guid.CreateVersion7(), websiteId, score, threshold, now }, transaction, cancellationToken: cancellationToken));
        if (featured == 0)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE viral_scores SET featured = true WHERE website_id = @websiteId", new { websiteId }, transaction, cancellationToken: cancellationToken));
        await outbox.PublishAsync(new SiteFeatured(websiteId, score, threshold, now), transaction, cancellationToken);
    }

    /// <summary>The Pro showcase: featured sites, highest score first, a page at a time.</summary>
    public async Task<IReadOnlyList<ShowcaseEntry>> ShowcaseAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid SiteId, string? Slug, string? Title, double Score, DateTime FeaturedAt)>(new CommandDefinition("""
            SELECT v.website_id, v.slug, v.title, v.score, f.featured_at
            FROM auto_featuring_events f JOIN viral_scores v ON v.website_id = f.website_id
            ORDER BY v.score DESC, f.featured_at, v.website_id
            LIMIT @pageSize OFFSET @offset
            """, new { pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken));
        return rows.Select(row => new ShowcaseEntry(row.SiteId, row.Slug, row.Title, row.Score, new DateTimeOffset(DateTime.SpecifyKind(row.FeaturedAt, DateTimeKind.Utc)))).ToList();
    }

    private static async Task<IEnumerable<(string Platform, DateTimeOffset At)>> RecentSharesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid websiteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Platform, DateTime At)>(new CommandDefinition(
            "SELECT platform, created_at FROM shares WHERE website_id = @websiteId AND created_at > @since",
            new { websiteId, since = now - ScoredWindow }, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => (row.Platform, new DateTimeOffset(DateTime.SpecifyKind(row.At, DateTimeKind.Utc))));
    }
}

/// <summary>A site in the Pro showcase.</summary>
public sealed record ShowcaseEntry(Guid SiteId, string? Slug, string? Title, double ViralScore, DateTimeOffset FeaturedAt);

/// <summary>A site's viral standing.</summary>
public sealed record SiteViralStats(Guid WebsiteId, double ViralScore, int Shares, IReadOnlyDictionary<string, int> SharesByPlatform, int VisitsFromShares, int LeadsFromShares, bool Featured)
{
    /// <summary>
    /// The site's K-factor: invites per user (its one owner's shares) × the conversion rate of what those shares
    /// brought (leads per visit, or per share while no visits are counted).
    /// </summary>
    public double KFactor => Shares == 0 ? 0 : Math.Round(Shares * ((double)LeadsFromShares / Math.Max(VisitsFromShares, Shares)), 3);
}
