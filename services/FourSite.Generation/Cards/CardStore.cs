using Dapper;
using FourSite.Generation.Pro;
using Npgsql;

namespace FourSite.Generation.Cards;

/// <summary>What a site's card is drawn from: its content, whether it is Pro now, its suspension and its content's card hash.</summary>
public sealed record CardSource(Guid Id, string SiteData, bool Pro, string? Suspension, string ContentHash);

/// <summary>The <c>site_cards</c> table: each site's rendered cards, one per variant; a new variant replaces the site's older ones.</summary>
public sealed class CardStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<CardSource?> FindSourceAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CardSource>(new CommandDefinition($"""
            SELECT id, site_data::text AS SiteData, {ProStatus.IsPro} AS pro, suspension, {SiteCards.ContentHashSql} AS ContentHash
            FROM websites WHERE slug = @slug
            """, new { slug, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task<byte[]?> FindAsync(Guid siteId, string variant, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT png FROM site_cards WHERE site_id = @siteId AND variant = @variant", new { siteId, variant }, cancellationToken: cancellationToken));
    }

    /// <summary>Keeps the card, and drops the site's cards of older content (the Pro and marked variants of this content stay).</summary>
    public async Task SaveAsync(Guid siteId, string variant, RenderedCard card, CancellationToken cancellationToken)
    {
        var content = SiteCards.ContentHashOf(variant);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO site_cards (site_id, variant, png, logo_drawn) VALUES (@siteId, @variant, @png, @logoDrawn)
            ON CONFLICT (site_id, variant) DO NOTHING;
            DELETE FROM site_cards WHERE site_id = @siteId AND split_part(variant, '-', 1) <> @content;
            """, new { siteId, variant, png = card.Png, logoDrawn = card.LogoDrawn, content }, cancellationToken: cancellationToken));
    }
}
