using Dapper;
using FourSite.Leads.Email;
using FourSite.Leads.Identity;
using Npgsql;

namespace FourSite.Leads.Notifications;

/// <summary>
/// Writes each daily lead digest in the hour (UTC) its maintainer picked: the leads since the last one, best first. A
/// site's digest is claimed with its row lock (replicas skip what another holds) and written with the time it covers
/// up to, so a digest is written once however many replicas look.
/// </summary>
public sealed partial class LeadDigestScheduler(NpgsqlDataSource dataSource, EmailQueue emails, ILogger<LeadDigestScheduler> logger) : BackgroundService
{
    public const int TopLeads = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await WriteNextAsync(stoppingToken))
                {
                    // One site at a time, until none is due.
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception);
            }

            await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <returns>Whether a site was due (and is now done).</returns>
    public async Task<bool> WriteNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = await connection.QuerySingleOrDefaultAsync<DueDigest>(new CommandDefinition($"""
            SELECT n.site_id AS SiteId, n.account_id AS AccountId, coalesce(n.last_digest_at, now() - interval '1 day') AS Since,
                   a.email, a.email_normalized AS EmailNormalized, coalesce(l.title, 'your project') AS Project, l.verified
            FROM lead_notification_settings n
            JOIN lead_sites l ON l.site_id = n.site_id AND l.account_id = n.account_id
            JOIN notification_addresses a ON a.account_id = n.account_id AND a.verified_at IS NOT NULL
            WHERE n.mode = '{LeadNotificationModes.Digest}' AND n.digest_hour = extract(hour FROM now() AT TIME ZONE 'UTC')
              AND (n.last_digest_at IS NULL OR n.last_digest_at < date_trunc('hour', now()))
            LIMIT 1 FOR UPDATE OF n SKIP LOCKED
            """, transaction: transaction, cancellationToken: cancellationToken));
        if (due is null)
        {
            return false;
        }

        var leads = (await connection.QueryAsync<(string Email, int Score, int Count)>(new CommandDefinition("""
            SELECT email, lead_score, (count(*) OVER ())::int FROM leads
            WHERE site_id = @SiteId AND NOT is_spam AND created_at > @Since AND created_at <= now()
            ORDER BY lead_score DESC, created_at LIMIT @top
            """, new { due.SiteId, due.Since, top = TopLeads }, transaction, cancellationToken: cancellationToken))).ToList();
        if (leads.Count > 0)
        {
            var top = leads.Select(lead => new DigestLead(due.Verified ? lead.Email : EmailMask.Mask(lead.Email), lead.Score)).ToList();
            await emails.AddAsync(connection, transaction, new NewEmail(EmailKinds.LeadDigest, due.Email, due.EmailNormalized, due.SiteId,
                new LeadDigestPayload(due.Project, leads[0].Count, top, new DateTimeOffset(DateTime.SpecifyKind(due.Since, DateTimeKind.Utc)))), cancellationToken);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE lead_notification_settings SET last_digest_at = now() WHERE site_id = @SiteId AND account_id = @AccountId",
            due, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        emails.Flush();
        LogWritten(logger, due.SiteId, leads.Count == 0 ? 0 : leads[0].Count);
        return true;
    }

    private sealed record DueDigest(Guid SiteId, Guid AccountId, DateTime Since, string Email, string EmailNormalized, string Project, bool Verified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lead digests could not be written; trying again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead digest of site {SiteId}: {Leads} new leads")]
    private static partial void LogWritten(ILogger logger, Guid siteId, int leads);
}
