using Dapper;
using FourSite.Generation.Pro;
using Npgsql;

namespace FourSite.Generation.Discovery;

/// <summary>A live site as the sitemap lists it: its slug, its verified custom domain while Pro, and when it last changed.</summary>
public sealed record SitemapEntry(string Slug, string? Domain, DateTime LastModified);

/// <summary>The sites search engines may index: every site not suspended, in a stable order, a page at a time.</summary>
public sealed class SitemapStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM websites WHERE suspension IS NULL", cancellationToken: cancellationToken));
    }

    /// <summary>Up to <paramref name="limit"/> sites from the <paramref name="offset"/>th, oldest first.</summary>
    public async Task<IReadOnlyList<SitemapEntry>> RangeAsync(long offset, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SitemapEntry>(new CommandDefinition($"""
            SELECT slug,
                   CASE WHEN {ProStatus.IsPro} THEN (SELECT domain FROM custom_domains WHERE site_id = websites.id AND verified_at IS NOT NULL ORDER BY verified_at LIMIT 1) END AS Domain,
                   greatest(created_at, regenerated_at, content_edited_at) AS LastModified
            FROM websites WHERE suspension IS NULL
            ORDER BY created_at, id OFFSET @offset LIMIT @limit
            """, new { offset, limit, now = clock.GetUtcNow() }, cancellationToken: cancellationToken))).ToList();
    }
}
