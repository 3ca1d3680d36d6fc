using Dapper;
using FourSite.Contracts.Leads;
using FourSite.Leads.Email;
using FourSite.ServiceDefaults.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Subscriptions;

/// <summary>
/// Newsletter subscriptions with double opt-in. An opt-in makes a pending subscription and sends one confirmation (at
/// most one a day per address and site); only a confirmation through the emailed link makes it confirmed, and only
/// confirmed subscriptions are sent news. An unsubscribed address stays so, however often it is captured again, until
/// its owner subscribes anew from their unsubscribe page.
/// </summary>
public sealed class SubscriptionStore(NpgsqlDataSource dataSource, EmailQueue emails, Outbox outbox, IOptionsMonitor<EmailOptions> options, TimeProvider clock)
{
    /// <summary>Records an opt-in within the capture's transaction, and the confirmation it calls for.</summary>
    public async Task OptInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OptIn optIn, CancellationToken cancellationToken)
    {
        var pending = await connection.QuerySingleOrDefaultAsync<(Guid Id, bool Due)>(new CommandDefinition("""
            INSERT INTO subscriptions (id, site_id, email, email_normalized, status, unsubscribe_token, consent_version, consent_wording,
                                       captured_at, captured_network, captured_user_agent)
            VALUES (@id, @SiteId, @Email, @NormalisedEmail, 'pending', @unsubscribeToken, @version, @wording, now(), @Network, @UserAgent)
            ON CONFLICT (site_id, email_normalized) DO UPDATE
            SET email = excluded.email, consent_version = excluded.consent_version, consent_wording = excluded.consent_wording,
                captured_at = excluded.captured_at, captured_network = excluded.captured_network, captured_user_agent = excluded.captured_user_agent
            WHERE subscriptions.status = 'pending'
            RETURNING id, (confirmation_sent_at IS NULL OR confirmation_sent_at <= now() - interval '1 day')
                          AND NOT EXISTS (SELECT 1 FROM email_suppressions x WHERE x.email_normalized = @NormalisedEmail)
                          AND NOT EXISTS (SELECT 1 FROM global_unsubscribes g WHERE g.email_normalized = @NormalisedEmail)
            """, new
        {
            id = Guid.CreateVersion7(),
            optIn.SiteId,
            optIn.Email,
            optIn.NormalisedEmail,
            unsubscribeToken = MailTokens.New(),
            version = NewsletterConsent.Version,
            wording = NewsletterConsent.Wording,
            optIn.Network,
            UserAgent = Truncate(optIn.UserAgent),
        }, transaction, cancellationToken: cancellationToken));
        if (pending.Id == Guid.Empty || !pending.Due)
        {
            return;
        }

        var token = MailTokens.New();
        var site = await connection.QuerySingleOrDefaultAsync<(string? Title, string? Slug)>(new CommandDefinition(
            "SELECT title, slug FROM lead_sites WHERE site_id = @SiteId", new { optIn.SiteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO email_tokens (token_hash, purpose, subscription_id, expires_at) VALUES (@hash, 'subscription', @subscriptionId, now() + @lifetime);
            UPDATE subscriptions SET confirmation_sent_at = now() WHERE id = @subscriptionId;
            """, new { hash = MailTokens.Hash(token), subscriptionId = pending.Id, lifetime = options.CurrentValue.ConfirmationLifetime },
            transaction, cancellationToken: cancellationToken));
        await emails.AddAsync(connection, transaction, new NewEmail(EmailKinds.Confirmation, optIn.Email, optIn.NormalisedEmail, optIn.SiteId,
            new ConfirmationPayload(token, site.Title ?? "this project", site.Slug), pending.Id), cancellationToken);
    }

    /// <summary>What a confirmation link is about, without changing anything (a GET, which mail scanners follow).</summary>
    public async Task<TokenLookup> FindConfirmationAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindConfirmationAsync(connection, null, token, cancellationToken);
    }

    /// <summary>Confirms the subscription a link names, recording where the confirmation came from, and announces it (once) for the site's funnel.</summary>
    public async Task<TokenLookup> ConfirmAsync(string token, string? network, string? userAgent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await FindConfirmationAsync(connection, transaction, token, cancellationToken);
        var confirmed = false;
        if (found.State == LinkState.Valid)
        {
            var site = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
                UPDATE subscriptions SET status = 'confirmed', confirmed_at = now(), confirmed_network = @network, confirmed_user_agent = @userAgent
                WHERE id = @Id AND status = 'pending'
                RETURNING site_id
                """, new { found.Subscription!.Id, network, userAgent = Truncate(userAgent) }, transaction, cancellationToken: cancellationToken));
            if (site is { } siteId)
            {
                await outbox.PublishAsync(new SubscriptionConfirmed(found.Subscription.Id, siteId, clock.GetUtcNow()), transaction, cancellationToken);
                confirmed = true;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (confirmed)
        {
            outbox.Flush();
        }

        return found;
    }

    /// <summary>What an unsubscribe link is about (a GET changes nothing).</summary>
    public async Task<SubscriptionView?> FindByUnsubscribeTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionView>(new CommandDefinition(
            $"{SubscriptionView.Select} WHERE s.unsubscribe_token = @token", new { token }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Unsubscribes the link's subscription, or, <paramref name="everywhere"/>, every subscription of its address (and
    /// keeps the address from being asked to confirm by any project again). Pending confirmations stop working.
    /// </summary>
    public async Task<SubscriptionView?> UnsubscribeAsync(string token, bool everywhere, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var subscription = await connection.QuerySingleOrDefaultAsync<SubscriptionView>(new CommandDefinition(
            $"{SubscriptionView.Select} WHERE s.unsubscribe_token = @token FOR UPDATE OF s", new { token }, transaction, cancellationToken: cancellationToken));
        if (subscription is not null)
        {
            var which = everywhere ? "email_normalized = @EmailNormalized" : "id = @Id";
#pragma warning disable S2077 // Dynamic SQL checked: one of two constant conditions; values are parameters.
            await connection.ExecuteAsync(new CommandDefinition($"""
                UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now()
                WHERE {which} AND status <> 'unsubscribed';
                DELETE FROM email_tokens t USING subscriptions s
                WHERE t.subscription_id = s.id AND s.{which};
                """, subscription, transaction, cancellationToken: cancellationToken));
#pragma warning restore S2077
            if (everywhere)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO global_unsubscribes (email_normalized) VALUES (@EmailNormalized) ON CONFLICT (email_normalized) DO NOTHING",
                    subscription, transaction, cancellationToken: cancellationToken));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return subscription;
    }

    /// <summary>Subscribes anew, from the page of the person's own unsubscribe link: a fresh consent, confirmed by that act.</summary>
    public async Task<SubscriptionView?> ResubscribeAsync(string token, string? network, string? userAgent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionView>(new CommandDefinition($"""
            WITH renewed AS (
                UPDATE subscriptions
                SET status = 'confirmed', consent_version = @version, consent_wording = @wording, captured_at = now(), captured_network = @network,
                    captured_user_agent = @userAgent, confirmed_at = now(), confirmed_network = @network, confirmed_user_agent = @userAgent, unsubscribed_at = NULL
                WHERE unsubscribe_token = @token AND status = 'unsubscribed'
                  AND NOT EXISTS (SELECT 1 FROM email_suppressions x WHERE x.email_normalized = subscriptions.email_normalized)
                RETURNING id)
            {SubscriptionView.Select} WHERE s.id = (SELECT id FROM renewed)
            """, new { token, network, userAgent = Truncate(userAgent), version = NewsletterConsent.Version, wording = NewsletterConsent.Wording },
            cancellationToken: cancellationToken));
    }

    /// <summary>A site's subscribers by state, for its maintainers.</summary>
    public async Task<SubscriberCounts> CountAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<SubscriberCounts>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE status = 'pending')::int AS Pending,
                   count(*) FILTER (WHERE status = 'confirmed' AND x.email_normalized IS NULL)::int AS Confirmed,
                   count(*) FILTER (WHERE status = 'unsubscribed')::int AS Unsubscribed,
                   count(x.email_normalized)::int AS Suppressed
            FROM subscriptions s LEFT JOIN email_suppressions x ON x.email_normalized = s.email_normalized
            WHERE s.site_id = @siteId
            """, new { siteId }, cancellationToken: cancellationToken));
    }

    /// <summary>Every subscription of one address and the consent behind it, for the person's data export.</summary>
    public async Task<IReadOnlyList<SubscriptionRecord>> FindPersonAsync(string normalisedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SubscriptionRecord>(new CommandDefinition("""
            SELECT site_id AS SiteId, email, status, consent_version AS ConsentVersion, consent_wording AS ConsentWording,
                   captured_at AS CapturedAt, captured_network AS CapturedNetwork, captured_user_agent AS CapturedUserAgent,
                   confirmed_at AS ConfirmedAt, confirmed_network AS ConfirmedNetwork, confirmed_user_agent AS ConfirmedUserAgent,
                   unsubscribed_at AS UnsubscribedAt
            FROM subscriptions WHERE email_normalized = @normalisedEmail ORDER BY captured_at
            """, new { normalisedEmail }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>
    /// Within an erasure's transaction: every subscription, consent record, email, emailed link, suppression and
    /// unsubscribe-everywhere choice of one address; with <paramref name="siteId"/>, only its subscription to that site and
    /// the emails about it.
    /// </summary>
    public static Task EraseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string normalisedEmail, CancellationToken cancellationToken, Guid? siteId = null) =>
        connection.ExecuteAsync(new CommandDefinition(siteId is null ? """
            DELETE FROM outgoing_emails WHERE recipient_normalized = @normalisedEmail;
            DELETE FROM subscriptions WHERE email_normalized = @normalisedEmail;
            DELETE FROM global_unsubscribes WHERE email_normalized = @normalisedEmail;
            DELETE FROM email_suppressions WHERE email_normalized = @normalisedEmail;
            DELETE FROM email_tokens WHERE purpose = 'privacy' AND email = @normalisedEmail;
            """ : """
            DELETE FROM outgoing_emails WHERE recipient_normalized = @normalisedEmail AND site_id = @siteId;
            DELETE FROM subscriptions WHERE email_normalized = @normalisedEmail AND site_id = @siteId;
            """, new { normalisedEmail, siteId }, transaction, cancellationToken: cancellationToken));

    private static async Task<TokenLookup> FindConfirmationAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string token, CancellationToken cancellationToken)
    {
        if (!MailTokens.IsWellFormed(token))
        {
            return new TokenLookup(LinkState.Unknown, null);
        }

        var found = await connection.QuerySingleOrDefaultAsync<(bool Expired, Guid Id)>(new CommandDefinition(
            "SELECT expires_at <= now(), subscription_id FROM email_tokens WHERE token_hash = @hash AND purpose = 'subscription'",
            new { hash = MailTokens.Hash(token) }, transaction, cancellationToken: cancellationToken));
        if (found.Id == Guid.Empty)
        {
            return new TokenLookup(LinkState.Unknown, null);
        }

        var subscription = await connection.QuerySingleAsync<SubscriptionView>(new CommandDefinition(
            $"{SubscriptionView.Select} WHERE s.id = @Id", new { found.Id }, transaction, cancellationToken: cancellationToken));
        return new TokenLookup(found.Expired && subscription.Status == "pending" ? LinkState.Expired : LinkState.Valid, subscription);
    }

    private static string? Truncate(string? userAgent) => userAgent is { Length: > 300 } ? userAgent[..300] : userAgent;
}

/// <summary>An opt-in at capture: who, where they came from.</summary>
public sealed record OptIn(Guid SiteId, string Email, string NormalisedEmail, string? Network, string? UserAgent);

/// <summary>What an emailed link was found to name.</summary>
public sealed record TokenLookup(LinkState State, SubscriptionView? Subscription);

/// <summary>A subscription as its pages show it.</summary>
public sealed record SubscriptionView(Guid Id, Guid SiteId, string Email, string EmailNormalized, string Status, string? Project, string? Slug)
{
    public const string Select = """
        SELECT s.id, s.site_id AS SiteId, s.email, s.email_normalized AS EmailNormalized, s.status, l.title AS Project, l.slug
        FROM subscriptions s LEFT JOIN lead_sites l ON l.site_id = s.site_id
        """;
}

public sealed record SubscriberCounts(int Pending, int Confirmed, int Unsubscribed, int Suppressed);

/// <summary>A subscription and its consent, as a data export shows it.</summary>
public sealed record SubscriptionRecord(
    Guid SiteId, string Email, string Status, string ConsentVersion, string ConsentWording,
    DateTime CapturedAt, string? CapturedNetwork, string? CapturedUserAgent,
    DateTime? ConfirmedAt, string? ConfirmedNetwork, string? ConfirmedUserAgent, DateTime? UnsubscribedAt);
