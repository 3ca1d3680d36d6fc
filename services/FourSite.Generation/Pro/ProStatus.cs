using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Pro;

/// <summary>A site's Pro subscription as its owner sees it: whether it is Pro now, the plan, and when it renews, ends or runs out of grace.</summary>
public sealed record ProView(bool Active, string? Plan, DateTimeOffset? RenewsAt, DateTimeOffset? CancelAt, DateTimeOffset? GraceUntil);

/// <summary>Keeps each site's Pro state from Viral's announcements and answers what it gives now.</summary>
public sealed class ProStatus(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Applies an announcement; an older one arriving after a newer one changes nothing.</summary>
    public async Task<bool> ApplyAsync(Contracts.Viral.SiteProChanged change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE websites SET pro_plan = @Plan, pro_until = @ProUntil, pro_renews_at = @RenewsAt, pro_cancel_at = @CancelAt,
                                pro_grace_until = @GraceUntil, pro_changed_at = @ChangedAt
            WHERE id = @SiteId AND (pro_changed_at IS NULL OR pro_changed_at <= @ChangedAt)
            """, change, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<ProView> OfAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Plan, DateTime? Until, DateTime? RenewsAt, DateTime? CancelAt, DateTime? GraceUntil)>(new CommandDefinition(
            "SELECT pro_plan, pro_until, pro_renews_at, pro_cancel_at, pro_grace_until FROM websites WHERE id = @siteId",
            new { siteId }, cancellationToken: cancellationToken));
        var active = row.Until is { } until && Utc(until) > clock.GetUtcNow();
        return new ProView(active, row.Plan, active ? Utc(row.RenewsAt) : null, Utc(row.CancelAt), active ? Utc(row.GraceUntil) : null);
    }

    /// <summary>SQL: whether the site of row <c>websites</c> is Pro at <c>@now</c>.</summary>
    public const string IsPro = "coalesce(pro_until > @now, false)";
}
