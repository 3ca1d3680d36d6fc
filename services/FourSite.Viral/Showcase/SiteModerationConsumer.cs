using Dapper;
using FourSite.Contracts.Generation;
using MassTransit;
using Npgsql;

namespace FourSite.Viral.Showcase;

/// <summary>
/// Follows operators' suspensions and reinstatements of sites: a suspended site leaves the showcase, a reinstated one
/// returns to it. The latest decision wins, whatever order the events arrive in.
/// </summary>
public sealed class SiteModerationConsumer(NpgsqlDataSource dataSource) : IConsumer<SiteSuspended>, IConsumer<SiteReinstated>
{
    public Task Consume(ConsumeContext<SiteSuspended> context) =>
        ApplyAsync(context.Message.SiteId, context.Message.Kind, context.Message.SuspendedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<SiteReinstated> context) =>
        ApplyAsync(context.Message.SiteId, null, context.Message.ReinstatedAt, context.CancellationToken);

    private async Task ApplyAsync(Guid siteId, string? kind, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO suspended_sites (site_id, kind, changed_at) VALUES (@siteId, @kind, @changedAt)
            ON CONFLICT (site_id) DO UPDATE SET kind = excluded.kind, changed_at = excluded.changed_at
            WHERE suspended_sites.changed_at < excluded.changed_at
            """, new { siteId, kind, changedAt }, cancellationToken: cancellationToken));
    }
}
