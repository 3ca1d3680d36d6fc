using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Leads;
using FourSite.Leads.Email;
using FourSite.Leads.Identity;
using FourSite.Leads.Notifications;
using FourSite.Leads.Scoring;
using FourSite.Leads.Subscriptions;
using FourSite.Leads.Webhooks;
using FourSite.ServiceDefaults.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Capture;

/// <summary>
/// Leads in PostgreSQL. One row per person per site: the unique (site, normalised email) index settles concurrent
/// duplicates, and a repeat capture merges into the row under a row lock. Every counted capture commits with its event;
/// none is stored for a removed site.
/// </summary>
public sealed class LeadStore(NpgsqlDataSource dataSource, Outbox outbox, LeadScorer scorer, WebhookEvents webhooks, SubscriptionStore subscriptions, EmailQueue emails,
    IOptions<CaptureBurstOptions> bursts, TimeProvider clock)
{
    /// <summary>The check that raises a site whose form one network floods.</summary>
    public const string CaptureBurst = "capture_burst";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>SQL: the advisory lock of site <c>@SiteId</c>, shared by its captures and taken alone by its removal.</summary>
    public const string SiteLock = "hashtextextended(@SiteId::text, 0)";

    /// <summary>SQL: whom site <c>@SiteId</c>'s form names as the recipient of a visitor's email, as the page shows it.</summary>
    private const string ConsentRecipient =
        "(SELECT CASE WHEN verified THEN 'verified_maintainers' ELSE 'page_owner' END FROM lead_sites WHERE site_id = @SiteId)";

    /// <param name="optIn">The visitor's newsletter opt-in: a pending subscription and its confirmation are stored with the lead.</param>
    /// <returns>What was stored; refused (nothing stored) when the site was removed or is suspended.</returns>
    public async Task<CaptureOutcome> CaptureAsync(NewCapture capture, Func<Guid, LeadScore, bool, LeadCaptured> announce, OptIn? optIn, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var score = scorer.Score(capture.Engagement.SignalsFor(capture.NormalisedEmail));
        var leadId = Guid.CreateVersion7();
        var parameters = new DynamicParameters(new
        {
            leadId,
            capture.SiteId,
            capture.Email,
            capture.NormalisedEmail,
            capture.ProjectType,
            capture.Template,
            interests = capture.Engagement.Interests.ToArray(),
            platforms = capture.Engagement.Platforms.ToArray(),
            optIn = capture.Engagement.NewsletterOptIn,
            metadata = JsonSerializer.Serialize(new StoredMetadata(capture.Engagement, capture.Context), Json),
            capture.ReferralCode,
            total = score.Total,
            breakdown = JsonSerializer.Serialize(score.Breakdown, Json),
            risks = score.RiskFlags.ToArray(),
            capture.IsSpam,
            capture.CapturedAt,
            consentVersion = capture.Consent?.Version,
            consentAt = capture.Consent?.At,
            consentPage = capture.Consent?.Page,
            capture.Network,
        });
        // A new lead's announcement is known before it is stored, so it is recorded by the same statement.
        parameters.AddDynamicParams(OutboxRow.For(announce(leadId, score, false)));
        // And so is what the site's webhooks are sent, and the email its maintainer may have asked for.
        parameters.AddDynamicParams(WebhookLead(capture, leadId, score));
        parameters.AddDynamicParams(NotificationParameters(capture));

        // Two statements in one round trip. The second reads the data as of its own start, so it sees a removal that
        // committed while the first waited for the site's lock (one statement doing both would miss it).
        Guid? inserted;
#pragma warning disable S2077 // Dynamic SQL checked: only constants are interpolated (the lock key and the outbox's columns); values are parameters.
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition($"""
            SELECT 1 FROM (SELECT pg_advisory_xact_lock_shared({SiteLock})) AS site_lock;
            WITH inserted AS (
                INSERT INTO leads (id, site_id, email, email_normalized, project_type, template, project_interests, social_platforms,
                                   newsletter_opt_in, metadata, referral_code, lead_score, score_breakdown, risk_flags, is_spam, captured_at,
                                   consent_version, consent_recipient, consent_at, consent_page, capture_network)
                SELECT @leadId, @SiteId, @Email, @NormalisedEmail, @ProjectType, @Template, @interests, @platforms,
                       @optIn, @metadata::jsonb, @ReferralCode, @total, @breakdown::jsonb, @risks, @IsSpam, @CapturedAt,
                       @consentVersion, {ConsentRecipient}, @consentAt, @consentPage, @Network
                WHERE NOT EXISTS (SELECT 1 FROM removed_sites WHERE site_id = @SiteId)
                  AND NOT EXISTS (SELECT 1 FROM suspended_sites WHERE site_id = @SiteId AND kind IS NOT NULL)
                ON CONFLICT (site_id, email_normalized) DO NOTHING
                RETURNING id),
            announced AS (
                INSERT INTO {Outbox.InsertTarget} SELECT {Outbox.Values} FROM inserted WHERE NOT @IsSpam),
            webhooked AS (
                {WebhookEvents.LeadCapturedFrom("(SELECT id FROM inserted WHERE NOT @IsSpam)")}),
            notified AS (
                {NewLeadNotification.From("(SELECT id FROM inserted WHERE NOT @IsSpam)")})
            SELECT id FROM inserted;
            """, parameters, transaction, cancellationToken: cancellationToken)))
#pragma warning restore S2077
        {
            await results.ReadSingleAsync<int>();
            inserted = await results.ReadSingleOrDefaultAsync<Guid?>();
        }

        var duplicate = false;
        if (inserted is not null && !capture.IsSpam)
        {
            await FlagBurstAsync(connection, transaction, capture, cancellationToken);
        }

        if (inserted is null)
        {
            // Not stored: the site was removed or suspended, or this person is already a lead of it.
            var closed = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
                SELECT CASE WHEN EXISTS (SELECT 1 FROM removed_sites WHERE site_id = @SiteId) THEN 'removed'
                            WHEN EXISTS (SELECT 1 FROM suspended_sites WHERE site_id = @SiteId AND kind IS NOT NULL) THEN 'suspended' END
                """, new { capture.SiteId }, transaction, cancellationToken: cancellationToken));
            if (closed is not null)
            {
                return CaptureOutcome.Refused(closed);
            }

            // A real capture over a row only a bot had made is the person's first: announced as new.
            (leadId, score, var wasSpam) = await MergeAsync(connection, transaction, capture, cancellationToken);
            duplicate = !wasSpam || capture.IsSpam;
            if (!capture.IsSpam)
            {
                await outbox.PublishAsync(announce(leadId, score, duplicate), transaction, cancellationToken);
            }

            if (!duplicate)
            {
                var webhookParameters = new DynamicParameters(new { capture.SiteId });
                webhookParameters.AddDynamicParams(WebhookLead(capture, leadId, score));
                webhookParameters.AddDynamicParams(NotificationParameters(capture));
                webhookParameters.AddDynamicParams(new { capture.Email, total = score.Total, optIn = capture.Engagement.NewsletterOptIn, capture.CapturedAt });
#pragma warning disable S2077 // Dynamic SQL checked: constants only; values are parameters.
                await connection.ExecuteAsync(new CommandDefinition(
                    WebhookEvents.LeadCapturedFrom("(SELECT @leadId::uuid AS id)") + ";\n" + NewLeadNotification.From("(SELECT @leadId::uuid AS id)"),
                    webhookParameters, transaction, cancellationToken: cancellationToken));
#pragma warning restore S2077
            }
        }

        if (optIn is not null)
        {
            await subscriptions.OptInAsync(connection, transaction, optIn, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        webhooks.Flush();
        emails.Flush();
        return new CaptureOutcome(leadId, score, duplicate);
    }

    /// <summary>
    /// The copies of erased leads Leads itself keeps: their owners' webhook payloads (sent or not), the new-lead emails
    /// about them, their lines in lead digests, and the messages that announced them (the erasure notice that follows
    /// carries only the hash, to the other services).
    /// </summary>
    private static async Task ForgetCopiesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] leadIds, string[] emails, string personHash,
        CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition($"""
            DELETE FROM webhook_deliveries WHERE event_key = ANY (SELECT '{WebhookEventTypes.LeadCaptured}:' || id FROM unnest(@leadIds) AS erased (id));
            DELETE FROM outgoing_emails WHERE kind = '{EmailKinds.NewLead}' AND id = ANY (@leadIds);
            UPDATE outgoing_emails
            SET payload = payload || jsonb_build_object('top', coalesce((SELECT jsonb_agg(line) FROM jsonb_array_elements(payload->'top') AS line
                                                                        WHERE NOT line->>'email' = ANY (@emails)), '[]'::jsonb))
            WHERE kind = '{EmailKinds.LeadDigest}' AND EXISTS (SELECT 1 FROM jsonb_array_elements(payload->'top') AS line WHERE line->>'email' = ANY (@emails));
            DELETE FROM outbox_messages WHERE body->>'personHash' = @personHash AND message_type <> @erasureNotice;
            """, new { leadIds, emails, personHash, erasureNotice = OutboxRow.TypeName<LeadErased>() }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// A flood of new leads on one site from one network (past <see cref="CaptureBurstOptions.CapturesPerNetworkPerHour"/>
    /// in an hour) raises the site for review, at most once a day: announced with the lead, so both commit or neither.
    /// </summary>
    private async Task FlagBurstAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewCapture capture, CancellationToken cancellationToken)
    {
        var perHour = bursts.Value.CapturesPerNetworkPerHour;
        if (perHour <= 0 || capture.Network is null)
        {
            return;
        }

        // The count sees this lead, and stops at the threshold: a site flooded all day costs each capture no more. A site
        // flagged within the day is not touched again (not even locked), so a hot site's captures never queue on its flag;
        // concurrent captures crossing the threshold settle on the flag's key, and one of them announces it.
        var flagged = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            WITH burst AS (
                SELECT count(*) AS leads FROM (
                    SELECT 1 FROM leads
                    WHERE site_id = @SiteId AND capture_network = @Network AND created_at > now() - interval '1 hour'
                    LIMIT @perHour) AS recent)
            INSERT INTO site_flags (site_id, check_name)
            SELECT @SiteId, @check FROM burst
            WHERE leads >= @perHour
              AND NOT EXISTS (SELECT 1 FROM site_flags WHERE site_id = @SiteId AND check_name = @check AND flagged_at >= now() - interval '1 day')
            ON CONFLICT (site_id, check_name) DO UPDATE SET flagged_at = now() WHERE site_flags.flagged_at < now() - interval '1 day'
            RETURNING true
            """, new { capture.SiteId, capture.Network, check = CaptureBurst, perHour }, transaction, cancellationToken: cancellationToken));
        if (flagged)
        {
            await outbox.PublishAsync(new SiteFlagged(capture.SiteId, CaptureBurst,
                $"{perHour} or more new leads within an hour from the network {capture.Network}", clock.GetUtcNow()), transaction, cancellationToken);
        }
    }

    /// <summary>The <c>lead.captured</c> payloads: the email for the verified maintainers' webhooks, masked for the others.</summary>
    private static DynamicParameters WebhookLead(NewCapture capture, Guid leadId, LeadScore score)
    {
        object Lead(string email) => new
        {
            leadId,
            siteId = capture.SiteId,
            email,
            leadScore = score.Total,
            scoreBreakdown = score.Breakdown,
            newsletterOptIn = capture.Engagement.NewsletterOptIn,
            projectInterests = capture.Engagement.Interests,
            socialPlatforms = capture.Engagement.Platforms,
            projectType = capture.ProjectType,
            referralCode = capture.ReferralCode,
            capturedAt = capture.CapturedAt,
        };

        var parameters = new DynamicParameters(WebhookEvents.LeadCapturedParameters(capture.CapturedAt, Lead(capture.Email), Lead(EmailMask.Mask(capture.Email))));
        parameters.Add("leadId", leadId);
        return parameters;
    }

    /// <summary>What the new-lead email is written from (<see cref="NewLeadNotification"/>).</summary>
    private object NotificationParameters(NewCapture capture) => new
    {
        maskedEmail = EmailMask.Mask(capture.Email),
        senderDomain = emails.SenderDomain,
        traceParent = System.Diagnostics.Activity.Current?.Id,
    };

    private async Task<(Guid LeadId, LeadScore Score, bool WasSpam)> MergeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewCapture capture, CancellationToken cancellationToken)
    {
        var existing = await connection.QuerySingleAsync<(Guid Id, string Metadata, bool IsSpam, int Score, string Breakdown, string Risks)>(new CommandDefinition("""
            SELECT id, metadata::text, is_spam, lead_score, score_breakdown::text, array_to_json(risk_flags)::text FROM leads
            WHERE site_id = @SiteId AND email_normalized = @NormalisedEmail FOR UPDATE
            """, new { capture.SiteId, capture.NormalisedEmail }, transaction, cancellationToken: cancellationToken));
        if (capture.IsSpam)
        {
            // A bot's submission never changes a lead.
            var breakdown = JsonSerializer.Deserialize<ScoreBreakdown>(existing.Breakdown, Json)!;
            return (existing.Id, new LeadScore(existing.Score, breakdown, JsonSerializer.Deserialize<string[]>(existing.Risks, Json) ?? []), existing.IsSpam);
        }

        var stored = existing.IsSpam ? null : JsonSerializer.Deserialize<StoredMetadata>(existing.Metadata, Json);
        var engagement = stored?.Engagement.Merge(capture.Engagement) ?? capture.Engagement;
        var score = scorer.Score(engagement.SignalsFor(capture.NormalisedEmail));

#pragma warning disable S2077 // Dynamic SQL checked: only a constant is interpolated; values are parameters.
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE leads
            SET project_interests = @interests, social_platforms = @platforms, newsletter_opt_in = @optIn,
                metadata = @metadata::jsonb, lead_score = @total, score_breakdown = @breakdown::jsonb, risk_flags = @risks,
                referral_code = COALESCE(referral_code, @ReferralCode), is_spam = false,
                consent_version = @consentVersion, consent_recipient = {ConsentRecipient}, consent_at = @consentAt, consent_page = @consentPage,
                capture_count = capture_count + 1, updated_at = now()
            WHERE id = @id
            """, new
        {
            id = existing.Id,
            interests = engagement.Interests.ToArray(),
            platforms = engagement.Platforms.ToArray(),
            optIn = engagement.NewsletterOptIn,
            metadata = JsonSerializer.Serialize(new StoredMetadata(engagement, capture.Context), Json),
            total = score.Total,
            breakdown = JsonSerializer.Serialize(score.Breakdown, Json),
            risks = score.RiskFlags.ToArray(),
            capture.ReferralCode,
            consentVersion = capture.Consent?.Version,
            consentAt = capture.Consent?.At,
            consentPage = capture.Consent?.Page,
            capture.SiteId,
        }, transaction, cancellationToken: cancellationToken));
#pragma warning restore S2077
        return (existing.Id, score, existing.IsSpam);
    }

    /// <summary>A site's counted leads (spam excluded), best first, a page at a time.</summary>
    public async Task<IReadOnlyList<LeadRow>> ListForSiteAsync(Guid siteId, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<LeadRow>(new CommandDefinition($"""
            SELECT {LeadRow.Columns} FROM leads
            WHERE site_id = @siteId AND NOT is_spam
            ORDER BY lead_score DESC, captured_at DESC, id
            LIMIT @pageSize OFFSET @offset
            """, new { siteId, pageSize, offset = (page - 1) * pageSize }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Every counted lead of a site, oldest first, read as the caller consumes them (nothing is buffered).</summary>
    public async IAsyncEnumerable<LeadRow> StreamForSiteAsync(Guid siteId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<LeadRow>(
            $"SELECT {LeadRow.Columns} FROM leads WHERE site_id = @siteId AND NOT is_spam ORDER BY captured_at, id", new { siteId });
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Everything held about one person, across sites (GDPR access).</summary>
    public async Task<IReadOnlyList<LeadRow>> FindPersonAsync(string normalisedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<LeadRow>(new CommandDefinition(
            $"SELECT {LeadRow.Columns} FROM leads WHERE email_normalized = @normalisedEmail ORDER BY captured_at",
            new { normalisedEmail }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>
    /// Deletes everything held about one person (on one site, when the announcement names it) and tells the other services
    /// to do the same (GDPR erasure).
    /// </summary>
    public async Task<int> ErasePersonAsync(string normalisedEmail, LeadErased announcement, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var erased = (await connection.QueryAsync<(Guid Id, Guid SiteId, string Email)>(new CommandDefinition("""
            DELETE FROM leads WHERE email_normalized = @normalisedEmail AND (@SiteId::uuid IS NULL OR site_id = @SiteId) RETURNING id, site_id, email
            """, new { normalisedEmail, announcement.SiteId }, transaction, cancellationToken: cancellationToken))).ToList();
        await ForgetCopiesAsync(connection, transaction, erased.Select(lead => lead.Id).ToArray(), erased.Select(lead => lead.Email).Distinct().ToArray(),
            announcement.PersonHash, cancellationToken);
        await outbox.PublishAsync(announcement with { LeadsErased = erased.Count }, transaction, cancellationToken);
        await SubscriptionStore.EraseAsync(connection, transaction, normalisedEmail, cancellationToken, announcement.SiteId);
        foreach (var lead in erased)
        {
            // The owners' systems hold a copy: they are told to forget it too.
            await WebhookEvents.RecordAsync(connection, transaction, lead.SiteId, WebhookEventTypes.LeadErased, $"{WebhookEventTypes.LeadErased}:{lead.Id}", announcement.ErasedAt,
                new { leadId = lead.Id, siteId = lead.SiteId }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        webhooks.Flush();
        return erased.Count;
    }
}

/// <summary>A capture as it is stored.</summary>
public sealed record NewCapture(
    Guid SiteId,
    string Email,
    string NormalisedEmail,
    string? ProjectType,
    string? Template,
    string? ReferralCode,
    Engagement Engagement,
    CaptureContext Context,
    bool IsSpam,
    DateTimeOffset CapturedAt,
    ConsentRecord? Consent = null,
    string? Network = null);

/// <summary>What the visitor agreed to: the form's consent text version (null from older pages), when, and on which page.</summary>
public sealed record ConsentRecord(string? Version, DateTimeOffset At, string? Page);

/// <summary>The visitor's context at their latest capture.</summary>
public sealed record CaptureContext(string? DeviceType, string? ScreenResolution, string? Timezone, string? Language, string? Referrer, string? UserAgent, string? SessionId);

/// <summary>The <c>metadata</c> column: merged engagement and latest context.</summary>
public sealed record StoredMetadata(Engagement Engagement, CaptureContext Context);

/// <summary>What a capture came to: the lead, its (re)computed score, and whether it merged into an existing lead.</summary>
public sealed record CaptureOutcome(Guid LeadId, LeadScore Score, bool Duplicate, string? RefusedBecause = null)
{
    private static readonly LeadScore NoScore = new(0, new ScoreBreakdown(new(0, 0, []), new(0, 0, []), new(0, 0, [])), []);

    /// <summary>Nothing stored: the site is <c>removed</c> or <c>suspended</c>.</summary>
    public static CaptureOutcome Refused(string because) => new(Guid.Empty, NoScore, false, because);
}
