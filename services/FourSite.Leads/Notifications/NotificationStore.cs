using FourSite.ServiceDefaults.Identity;
using Dapper;
using FourSite.Leads.Email;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Notifications;

/// <summary>
/// Maintainers' lead notifications: the address they go to (used only once verified through the link sent to it), and
/// each site's choice of an email per lead, a daily digest, or nothing.
/// </summary>
public sealed class NotificationStore(NpgsqlDataSource dataSource, EmailQueue emails, IOptionsMonitor<EmailOptions> options)
{
    public async Task<NotificationAddress?> FindAddressAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<NotificationAddress>(new CommandDefinition(
            "SELECT email, email_normalized AS EmailNormalized, verified_at IS NOT NULL AS Verified FROM notification_addresses WHERE account_id = @accountId",
            new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>Sets the account's address; a new address is unverified until its link is followed, and is sent that link.</summary>
    public async Task<NotificationAddress> SetAddressAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        var normalised = EmailIdentity.Normalise(email);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var verified = await connection.QuerySingleAsync<bool>(new CommandDefinition("""
            INSERT INTO notification_addresses (account_id, email, email_normalized) VALUES (@accountId, @email, @normalised)
            ON CONFLICT (account_id) DO UPDATE
            SET email = excluded.email, email_normalized = excluded.email_normalized, updated_at = now(),
                verified_at = CASE WHEN notification_addresses.email_normalized = excluded.email_normalized THEN notification_addresses.verified_at END
            RETURNING verified_at IS NOT NULL
            """, new { accountId, email, normalised }, transaction, cancellationToken: cancellationToken));
        if (!verified)
        {
            var token = MailTokens.New();
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO email_tokens (token_hash, purpose, account_id, email, expires_at) VALUES (@hash, 'notification_address', @accountId, @normalised, now() + @lifetime)
                """, new { hash = MailTokens.Hash(token), accountId, normalised, lifetime = options.CurrentValue.ConfirmationLifetime }, transaction, cancellationToken: cancellationToken));
            await emails.AddAsync(connection, transaction, new NewEmail(EmailKinds.AddressVerification, email, normalised, null, new AddressVerificationPayload(token)), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        emails.Flush();
        return new NotificationAddress(email, normalised, verified);
    }

    /// <summary>What a verification link is about, without changing anything.</summary>
    public Task<(LinkState State, string? Email)> FindVerificationAsync(string token, CancellationToken cancellationToken) => VerifyAsync(token, apply: false, cancellationToken);

    public Task<(LinkState State, string? Email)> VerifyAsync(string token, CancellationToken cancellationToken) => VerifyAsync(token, apply: true, cancellationToken);

    public async Task<LeadNotificationSetting> FindSettingAsync(Guid siteId, Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<LeadNotificationSetting>(new CommandDefinition(
            "SELECT mode AS Leads, digest_hour AS DigestHour FROM lead_notification_settings WHERE site_id = @siteId AND account_id = @accountId",
            new { siteId, accountId }, cancellationToken: cancellationToken)) ?? new LeadNotificationSetting(LeadNotificationModes.Off, 9);
    }

    public async Task SetSettingAsync(Guid siteId, Guid accountId, LeadNotificationSetting setting, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO lead_notification_settings (site_id, account_id, mode, digest_hour, last_digest_at) VALUES (@siteId, @accountId, @Leads, @DigestHour, now())
            ON CONFLICT (site_id, account_id) DO UPDATE SET mode = excluded.mode, digest_hour = excluded.digest_hour
            """, new { siteId, accountId, setting.Leads, setting.DigestHour }, cancellationToken: cancellationToken));
    }

    private async Task<(LinkState State, string? Email)> VerifyAsync(string token, bool apply, CancellationToken cancellationToken)
    {
        if (!MailTokens.IsWellFormed(token))
        {
            return (LinkState.Unknown, null);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<(Guid AccountId, string Email, bool Expired)>(new CommandDefinition("""
            SELECT account_id, email, expires_at <= now() FROM email_tokens WHERE token_hash = @hash AND purpose = 'notification_address'
            """, new { hash = MailTokens.Hash(token) }, cancellationToken: cancellationToken));
        if (found.AccountId == Guid.Empty)
        {
            return (LinkState.Unknown, null);
        }

        if (found.Expired)
        {
            return (LinkState.Expired, found.Email);
        }

        var current = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(apply
            ? "UPDATE notification_addresses SET verified_at = coalesce(verified_at, now()) WHERE account_id = @AccountId AND email_normalized = @Email RETURNING email"
            : "SELECT email FROM notification_addresses WHERE account_id = @AccountId AND email_normalized = @Email",
            new { found.AccountId, found.Email }, cancellationToken: cancellationToken));
        return current is null ? (LinkState.Unknown, null) : (LinkState.Valid, current);
    }
}

/// <summary>A site's lead notifications: <c>instant</c>, <c>digest</c> (at <see cref="DigestHour"/> UTC) or <c>off</c>.</summary>
public sealed record LeadNotificationSetting(string Leads, int DigestHour);
