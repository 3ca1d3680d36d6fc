using Dapper;
using FourSite.Contracts.Leads;
using FourSite.Leads.Email;
using Npgsql;

namespace FourSite.Leads.Privacy;

/// <summary>
/// People's own requests for what FourSite holds about their address: each sends a link (24 hours) to that address, so
/// only its owner sees or erases anything. A few a day per address, so no one can flood an inbox with them.
/// </summary>
public sealed class PrivacyStore(NpgsqlDataSource dataSource, EmailQueue emails, TimeProvider clock)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    public const int RequestsPerAddressPerDay = 3;

    /// <summary>Queues the emailed link; false (nothing sent) when the address already had its requests for the day.</summary>
    public async Task<bool> RequestAsync(string email, string normalised, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@normalised, 17))", new { normalised }, transaction, cancellationToken: cancellationToken));
        var recent = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT count(*) FROM email_tokens WHERE purpose = 'privacy' AND email = @normalised AND created_at > now() - interval '1 day'
            """, new { normalised }, transaction, cancellationToken: cancellationToken));
        if (recent >= RequestsPerAddressPerDay)
        {
            return false;
        }

        var token = MailTokens.New();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO email_tokens (token_hash, purpose, email, expires_at) VALUES (@hash, 'privacy', @normalised, @expires)
            """, new { hash = MailTokens.Hash(token), normalised, expires = clock.GetUtcNow() + LinkLifetime }, transaction, cancellationToken: cancellationToken));
        await emails.AddAsync(connection, transaction, new NewEmail(EmailKinds.PrivacyLink, email, normalised, null, new PrivacyLinkPayload(token)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        emails.Flush();
        return true;
    }

    /// <summary>The address a privacy link was sent to, if the link is good.</summary>
    public async Task<(LinkState State, string? Address)> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!MailTokens.IsWellFormed(token))
        {
            return (LinkState.Unknown, null);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<FoundLink>(new CommandDefinition("""
            SELECT email, expires_at < now() AS expired FROM email_tokens WHERE token_hash = @hash AND purpose = 'privacy'
            """, new { hash = MailTokens.Hash(token) }, cancellationToken: cancellationToken));
        return found is null ? (LinkState.Unknown, null) : found.Expired ? (LinkState.Expired, null) : (LinkState.Valid, found.Email);
    }

    /// <summary>Everything held under an address: its leads on every site and its subscriptions with their consent records.</summary>
    public async Task<PersonalData> GatherAsync(string normalised, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var leads = (await connection.QueryAsync<HeldLead>(new CommandDefinition("""
            SELECT l.site_id AS SiteId, coalesce(s.title, s.slug) AS Project, s.slug, l.email, l.newsletter_opt_in AS NewsletterOptIn,
                   l.lead_score AS LeadScore, l.capture_count AS CaptureCount, l.metadata::text AS Metadata, l.captured_at AS CapturedAt, l.updated_at AS UpdatedAt,
                   l.consent_version AS ConsentVersion, l.consent_recipient AS ConsentRecipient, l.consent_at AS ConsentAt, l.consent_page AS ConsentPage
            FROM leads l LEFT JOIN lead_sites s ON s.site_id = l.site_id
            WHERE l.email_normalized = @normalised ORDER BY l.captured_at
            """, new { normalised }, cancellationToken: cancellationToken))).ToList();
        var subscriptions = (await connection.QueryAsync<HeldSubscription>(new CommandDefinition("""
            SELECT u.site_id AS SiteId, coalesce(s.title, s.slug) AS Project, u.email, u.status, u.consent_version AS ConsentVersion,
                   u.consent_wording AS ConsentWording, u.captured_at AS CapturedAt, u.captured_network AS CapturedNetwork,
                   u.captured_user_agent AS CapturedUserAgent, u.confirmed_at AS ConfirmedAt, u.confirmed_network AS ConfirmedNetwork,
                   u.confirmed_user_agent AS ConfirmedUserAgent, u.unsubscribed_at AS UnsubscribedAt
            FROM subscriptions u LEFT JOIN lead_sites s ON s.site_id = u.site_id
            WHERE u.email_normalized = @normalised ORDER BY u.captured_at
            """, new { normalised }, cancellationToken: cancellationToken))).ToList();
        var unsubscribedEverywhere = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM global_unsubscribes WHERE email_normalized = @normalised)", new { normalised }, cancellationToken: cancellationToken));
        return new PersonalData(leads, subscriptions, unsubscribedEverywhere);
    }

    private sealed record FoundLink(string Email, bool Expired);
}

/// <summary>What FourSite holds about one address.</summary>
public sealed record PersonalData(IReadOnlyList<HeldLead> Leads, IReadOnlyList<HeldSubscription> Subscriptions, bool UnsubscribedEverywhere);

/// <summary>A site's lead of the person: what they gave and what the page measured.</summary>
public sealed record HeldLead(Guid SiteId, string? Project, string? Slug, string Email, bool NewsletterOptIn, int LeadScore, int CaptureCount, string Metadata,
    DateTime CapturedAt, DateTime UpdatedAt, string? ConsentVersion, string? ConsentRecipient, DateTime? ConsentAt, string? ConsentPage)
{
    /// <summary>The words the form showed beside the email field, for the version the capture sent.</summary>
    public string? ConsentWording => ConsentVersion != LeadFormConsent.Version ? null
        : ConsentRecipient == "verified_maintainers" ? LeadFormConsent.VerifiedRecipientNotice
        : LeadFormConsent.RecipientNotice;
}

/// <summary>A subscription of the person, with the consent they gave.</summary>
public sealed record HeldSubscription(Guid SiteId, string? Project, string Email, string Status, string ConsentVersion, string ConsentWording, DateTime CapturedAt,
    string? CapturedNetwork, string? CapturedUserAgent, DateTime? ConfirmedAt, string? ConfirmedNetwork, string? ConfirmedUserAgent, DateTime? UnsubscribedAt);
