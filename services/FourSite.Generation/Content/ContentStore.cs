using System.Text.Json;
using Dapper;
using FourSite.Generation.Writers;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Content;

/// <summary>One edit of a site's copy, as its history lists it.</summary>
public sealed record ContentEditRecord(Guid Id, ContentOverrides Overrides, string EditedBy, DateTimeOffset EditedAt);

/// <summary>A site's copy: the writer's, the owner's overrides, and the edits that led there.</summary>
public sealed record SiteContent(SiteData Written, ContentOverrides Overrides, IReadOnlyList<ContentEditRecord> History);

/// <summary>
/// Owners' edits of their sites' copy. Each edit locks the site's row, applies the new overrides to the writer's latest
/// content, renders the page from the result and keeps the edit, in one transaction, so an edit and a regeneration
/// running together both end in the page.
/// </summary>
public sealed class ContentStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SiteContent?> FindAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var site = await connection.QuerySingleOrDefaultAsync<(string Written, string? Overrides)>(new CommandDefinition(
            "SELECT coalesce(written_site_data, site_data)::text, content_overrides::text FROM websites WHERE id = @siteId", new { siteId }, cancellationToken: cancellationToken));
        if (site == default)
        {
            return null;
        }

        var history = await connection.QueryAsync<(Guid Id, string Overrides, string EditedBy, DateTime EditedAt)>(new CommandDefinition(
            "SELECT id, overrides::text, edited_by, edited_at FROM content_edits WHERE site_id = @siteId ORDER BY edited_at DESC LIMIT 50",
            new { siteId }, cancellationToken: cancellationToken));
        return new SiteContent(JsonSerializer.Deserialize<SiteData>(site.Written, Json)!, Read(site.Overrides),
            history.Select(edit => new ContentEditRecord(edit.Id, Read(edit.Overrides), edit.EditedBy, Utc(edit.EditedAt))).ToList());
    }

    /// <summary>The overrides of a past edit of the site, or null when it has no such edit.</summary>
    public async Task<ContentOverrides?> EditOfAsync(Guid siteId, Guid editId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var overrides = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT overrides::text FROM content_edits WHERE site_id = @siteId AND id = @editId", new { siteId, editId }, cancellationToken: cancellationToken));
        return overrides is null ? null : Read(overrides);
    }

    /// <summary>
    /// Changes the site's overrides (<paramref name="change"/> sees the current ones), renders its page from the result and
    /// keeps the edit. Null when the site is gone; otherwise the change's outcome (its errors, when it was refused).
    /// </summary>
    public async Task<(ContentOverrides? Overrides, Dictionary<string, string[]>? Errors)?> EditAsync(Guid siteId, string editedBy,
        Func<ContentOverrides, (ContentOverrides? Next, Dictionary<string, string[]> Errors)> change, Func<string, SiteData, string> render, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var site = await connection.QuerySingleOrDefaultAsync<(string Slug, string Written, string? Overrides)>(new CommandDefinition(
            "SELECT slug, coalesce(written_site_data, site_data)::text, content_overrides::text FROM websites WHERE id = @siteId FOR UPDATE",
            new { siteId }, transaction, cancellationToken: cancellationToken));
        if (site == default)
        {
            return null;
        }

        var (next, errors) = change(Read(site.Overrides));
        if (next is null)
        {
            return (null, errors);
        }

        var effective = next.Apply(JsonSerializer.Deserialize<SiteData>(site.Written, Json)!);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE websites
            SET written_site_data = coalesce(written_site_data, site_data), site_data = @effective::jsonb, html = @html,
                content_overrides = @overrides::jsonb, content_edited_at = @now
            WHERE id = @siteId;
            INSERT INTO content_edits (id, site_id, overrides, edited_by, edited_at) VALUES (@editId, @siteId, @overrides::jsonb, @editedBy, @now);
            """, new
        {
            siteId, editId = Guid.CreateVersion7(), editedBy, now,
            effective = JsonSerializer.Serialize(effective, Json),
            html = render(site.Slug, effective),
            overrides = JsonSerializer.Serialize(next, Json),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (next, null);
    }

    public static ContentOverrides Read(string? overrides) =>
        overrides is null ? ContentOverrides.None : JsonSerializer.Deserialize<ContentOverrides>(overrides, Json) ?? ContentOverrides.None;
}
