using Dapper;
using FourSite.Contracts.Viral;
using MassTransit;
using Npgsql;

namespace FourSite.Metrics.Analytics;

/// <summary>
/// Keeps each site's Pro state (until when, and since when without a break) from Viral's announcements, for premium
/// conversion; an older announcement arriving after a newer one changes nothing.
/// </summary>
public sealed class SiteProChangedConsumer(NpgsqlDataSource dataSource) : IConsumer<SiteProChanged>
{
    public async Task Consume(ConsumeContext<SiteProChanged> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO site_pro (site_id, pro_until, pro_since, changed_at)
            VALUES (@SiteId, @ProUntil, CASE WHEN @ProUntil > @ChangedAt THEN @ChangedAt END, @ChangedAt)
            ON CONFLICT (site_id) DO UPDATE SET
                pro_until = EXCLUDED.pro_until,
                pro_since = CASE WHEN EXCLUDED.pro_until > EXCLUDED.changed_at
                                 THEN CASE WHEN site_pro.pro_until > EXCLUDED.changed_at THEN site_pro.pro_since ELSE EXCLUDED.changed_at END END,
                changed_at = EXCLUDED.changed_at
            WHERE site_pro.changed_at <= EXCLUDED.changed_at
            """, context.Message, cancellationToken: context.CancellationToken));
    }
}
