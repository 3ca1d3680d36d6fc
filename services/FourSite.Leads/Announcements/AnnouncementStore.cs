using System.Diagnostics;
using Dapper;
using FourSite.Leads.Email;
using FourSite.Leads.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Announcements;

/// <summary>
/// A site's announcements: sent to its confirmed subscribers (a few a day at most), sent to its maintainer as a test,
/// or drafted from a release for review. A broadcast writes one email per confirmed subscriber in the transaction that
/// sends it, in the database itself, so a site's subscriber list never passes through memory.
/// </summary>
public sealed class AnnouncementStore(NpgsqlDataSource dataSource, EmailQueue emails, IOptionsMonitor<EmailOptions> options, TimeProvider clock)
{
    /// <summary>SQL: the advisory lock that orders a site's broadcasts, so two at once cannot both pass the daily cap.</summary>
    private const string BroadcastLock = "pg_advisory_xact_lock(hashtextextended('broadcast:' || @siteId::text, 0))";

    public async Task<AnnouncementContent?> ContentAsync(Guid announcementId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid SiteId, string? Title, string? Slug, string Subject, string Markdown)>(new CommandDefinition("""
            SELECT a.site_id, l.title, l.slug, a.subject, a.markdown FROM announcements a LEFT JOIN lead_sites l ON l.site_id = a.site_id WHERE a.id = @announcementId
            """, new { announcementId }, cancellationToken: cancellationToken));
        return row.SiteId == Guid.Empty ? null : new AnnouncementContent(row.SiteId, row.Title ?? "this project", row.Slug, row.Subject, AnnouncementMarkdown.Render(row.Markdown));
    }

    /// <summary>Sends an announcement to the maintainer's own verified address only.</summary>
    public async Task<Guid> SendTestAsync(Guid siteId, Guid accountId, string subject, string markdown, NotificationAddress to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO announcements (id, site_id, subject, markdown, audience, status, created_by_account_id, sent_at, recipients)
            VALUES (@id, @siteId, @subject, @markdown, 'test', 'sent', @accountId, now(), 1);
            INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, announcement_id, payload, message_id, trace_parent)
            VALUES (@emailId, 'announcement', @Email, @EmailNormalized, @siteId, @id, '{"test":true}', @messageId, @traceParent);
            """, new
        {
            id, siteId, subject, markdown, accountId, emailId = Guid.CreateVersion7(), to.Email, to.EmailNormalized,
            messageId = emails.MessageId($"announcement.{id:N}.test"), traceParent = Activity.Current?.Id,
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        emails.Counted(EmailKinds.Announcement, 1);
        emails.Flush();
        return id;
    }

    /// <summary>Sends a new announcement to the site's confirmed subscribers, unless the site reached its daily cap.</summary>
    public async Task<BroadcastOutcome> BroadcastAsync(Guid siteId, Guid? accountId, string subject, string markdown, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO announcements (id, site_id, subject, markdown, audience, status, created_by_account_id)
            VALUES (@id, @siteId, @subject, @markdown, 'subscribers', 'draft', @accountId)
            """, new { id, siteId, subject, markdown, accountId }, transaction, cancellationToken: cancellationToken));
        var outcome = await SendDraftAsync(connection, transaction, siteId, id, cancellationToken);
        if (outcome.RetryAfter is null)
        {
            await transaction.CommitAsync(cancellationToken);
            emails.Flush();
        }

        return outcome;
    }

    /// <summary>Sends a draft (a release's, perhaps edited first) to the site's confirmed subscribers.</summary>
    /// <returns>Null when the site has no such draft.</returns>
    public async Task<BroadcastOutcome?> SendDraftAsync(Guid siteId, Guid announcementId, string? subject, string? markdown, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var draft = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE announcements SET subject = coalesce(@subject, subject), markdown = coalesce(@markdown, markdown)
            WHERE id = @announcementId AND site_id = @siteId AND status = 'draft'
            """, new { siteId, announcementId, subject, markdown }, transaction, cancellationToken: cancellationToken));
        if (draft == 0)
        {
            return null;
        }

        var outcome = await SendDraftAsync(connection, transaction, siteId, announcementId, cancellationToken);
        if (outcome.RetryAfter is null)
        {
            await transaction.CommitAsync(cancellationToken);
            emails.Flush();
        }

        return outcome;
    }

    /// <summary>A release of a verified site's repository, as its site's setting says: drafted, sent at once, or nothing. A repeated release changes nothing.</summary>
    public async Task<string> ReleaseAsync(Guid siteId, string tag, string subject, string markdown, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var setting = await connection.QuerySingleOrDefaultAsync<(bool Verified, string? Releases)>(new CommandDefinition("""
            SELECT l.verified, s.releases FROM lead_sites l LEFT JOIN announcement_settings s ON s.site_id = l.site_id WHERE l.site_id = @siteId
            """, new { siteId }, transaction, cancellationToken: cancellationToken));
        var releases = setting.Releases ?? ReleaseSetting.Review;
        if (!setting.Verified || releases == ReleaseSetting.Off)
        {
            return "ignored";
        }

        var id = Guid.CreateVersion7();
        var drafted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO announcements (id, site_id, subject, markdown, audience, status, release_tag)
            VALUES (@id, @siteId, @subject, @markdown, 'subscribers', 'draft', @tag)
            ON CONFLICT (site_id, release_tag) WHERE release_tag IS NOT NULL DO NOTHING
            """, new { id, siteId, subject, markdown, tag }, transaction, cancellationToken: cancellationToken));
        if (drafted == 0)
        {
            return "duplicate";
        }

        var result = "drafted";
        if (releases == ReleaseSetting.Auto)
        {
            // Over the daily cap the release waits as a draft for the maintainer, rather than being lost.
            await transaction.SaveAsync("broadcast", cancellationToken);
            var outcome = await SendDraftAsync(connection, transaction, siteId, id, cancellationToken);
            if (outcome.RetryAfter is null)
            {
                result = "sent";
            }
            else
            {
                await transaction.RollbackAsync("broadcast", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        emails.Flush();
        return result;
    }

    public async Task<bool> DiscardAsync(Guid siteId, Guid announcementId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE announcements SET status = 'discarded' WHERE id = @announcementId AND site_id = @siteId AND status = 'draft'",
            new { siteId, announcementId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>A site's announcements, newest first, with what became of their emails.</summary>
    public async Task<IReadOnlyList<AnnouncementView>> ListAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AnnouncementView>(new CommandDefinition("""
            SELECT a.id, a.subject, a.markdown, a.audience, a.status, a.release_tag AS Release, a.created_at AS CreatedAt, a.sent_at AS SentAt, a.recipients,
                   coalesce(e.queued, 0) AS Queued, coalesce(e.sent, 0) AS Sent, coalesce(e.failed, 0) AS Failed,
                   coalesce(e.suppressed, 0) AS Suppressed, coalesce(e.skipped, 0) AS Skipped, coalesce(e.unsubscribed, 0) AS UnsubscribedSince
            FROM announcements a
            LEFT JOIN LATERAL (
                SELECT count(*) FILTER (WHERE o.status = 'pending')::int AS queued, count(*) FILTER (WHERE o.status = 'sent')::int AS sent,
                       count(*) FILTER (WHERE o.status = 'failed')::int AS failed, count(*) FILTER (WHERE o.status = 'suppressed')::int AS suppressed,
                       count(*) FILTER (WHERE o.status = 'skipped')::int AS skipped,
                       count(*) FILTER (WHERE s.status = 'unsubscribed' AND s.unsubscribed_at >= a.sent_at)::int AS unsubscribed
                FROM outgoing_emails o LEFT JOIN subscriptions s ON s.id = o.subscription_id
                WHERE o.announcement_id = a.id) e ON true
            WHERE a.site_id = @siteId AND a.status <> 'discarded'
            ORDER BY a.created_at DESC
            LIMIT 100
            """, new { siteId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<string> ReleaseSettingAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT releases FROM announcement_settings WHERE site_id = @siteId", new { siteId }, cancellationToken: cancellationToken)) ?? ReleaseSetting.Review;
    }

    public async Task SetReleaseSettingAsync(Guid siteId, string releases, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO announcement_settings (site_id, releases) VALUES (@siteId, @releases)
            ON CONFLICT (site_id) DO UPDATE SET releases = excluded.releases
            """, new { siteId, releases }, cancellationToken: cancellationToken));
    }

    /// <summary>Within a transaction: marks the draft sent and writes an email per confirmed, unsuppressed subscriber; or, over the cap, when to try again.</summary>
    private async Task<BroadcastOutcome> SendDraftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid siteId, Guid announcementId, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition($"SELECT {BroadcastLock}", new { siteId }, transaction, cancellationToken: cancellationToken));
        var recent = (await connection.QueryAsync<DateTime>(new CommandDefinition("""
            SELECT sent_at FROM announcements
            WHERE site_id = @siteId AND audience = 'subscribers' AND status = 'sent' AND sent_at > @since ORDER BY sent_at
            """, new { siteId, since = now.AddDays(-1).UtcDateTime }, transaction, cancellationToken: cancellationToken))).ToList();
        if (recent.Count >= settings.MaxBroadcastsPerDay)
        {
            var freeAt = new DateTimeOffset(DateTime.SpecifyKind(recent[recent.Count - settings.MaxBroadcastsPerDay], DateTimeKind.Utc)).AddDays(1);
            return new BroadcastOutcome(announcementId, 0, freeAt - now);
        }

        var recipients = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, announcement_id, subscription_id, message_id, trace_parent)
            SELECT gen_random_uuid(), 'announcement', s.email, s.email_normalized, s.site_id, @announcementId, s.id,
                   '<announcement.' || @key || '.' || replace(s.id::text, '-', '') || '@' || @domain || '>', @traceParent
            FROM subscriptions s
            WHERE s.site_id = @siteId AND s.status = 'confirmed'
              AND NOT EXISTS (SELECT 1 FROM email_suppressions x WHERE x.email_normalized = s.email_normalized)
            ON CONFLICT (announcement_id, subscription_id) DO NOTHING
            """, new { siteId, announcementId, key = announcementId.ToString("N"), domain = settings.SenderDomain, traceParent = Activity.Current?.Id },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE announcements SET status = 'sent', sent_at = @now, recipients = @recipients WHERE id = @announcementId",
            new { announcementId, recipients, now = now.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        emails.Counted(EmailKinds.Announcement, recipients);
        return new BroadcastOutcome(announcementId, recipients, null);
    }
}

/// <summary>A broadcast's result: its recipients, or how long until the site may broadcast again.</summary>
public sealed record BroadcastOutcome(Guid AnnouncementId, int Recipients, TimeSpan? RetryAfter);

/// <summary>What a site does with its repository's releases.</summary>
public static class ReleaseSetting
{
    public const string Auto = "auto";
    public const string Review = "review";
    public const string Off = "off";

    public static readonly string[] All = [Auto, Review, Off];
}

/// <summary>An announcement in a site's history.</summary>
public sealed record AnnouncementView(
    Guid Id, string Subject, string Markdown, string Audience, string Status, string? Release, DateTime CreatedAt, DateTime? SentAt, int Recipients,
    int Queued, int Sent, int Failed, int Suppressed, int Skipped, int UnsubscribedSince);
