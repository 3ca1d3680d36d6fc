using System.Diagnostics;
using Dapper;
using FourSite.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Email;

/// <summary>
/// Sends due emails over a few SMTP connections, each kept open for message after message. A connection claims a batch
/// with a lease (replicas share the work; a replica that dies leaves its batch to another once the lease ends) and
/// records each message's outcome as soon as the server answers, so a replica killed mid-broadcast sends again at most
/// the one message each of its connections had handed over but not yet recorded. Passing failures are retried with
/// growing waits for up to a day; a permanent refusal of the recipient suppresses the address.
/// </summary>
public sealed partial class EmailDispatcher(
    NpgsqlDataSource dataSource,
    EmailComposer composer,
    EmailSignal signal,
    IOptionsMonitor<EmailOptions> options,
    EmailTelemetry telemetry,
    ILogger<EmailDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        if (settings.EndpointUri is null)
        {
            LogNotConfigured(logger, EmailOptions.Section);
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Connections)).Select(index => RunConnectionAsync(index, stoppingToken)));
    }

    /// <param name="index">Only the first connection polls an idle queue; the others wait to be woken (a new email, a full batch).</param>
    private async Task RunConnectionAsync(int index, CancellationToken stoppingToken)
    {
        await using var connection = new SmtpConnection(options.CurrentValue);
        var backoff = TimeSpan.Zero;
        var idle = TimeSpan.Zero;
        var idleCeiling = index == 0 ? WorkSignal.IdlePollCeiling : TimeSpan.FromMinutes(1);
        var lastSent = DateTimeOffset.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = options.CurrentValue.EndpointUri is null ? [] : await ClaimAsync(stoppingToken);
                backoff = TimeSpan.Zero;
                if (batch.Count == 0)
                {
                    if (connection.IsConnected && DateTimeOffset.UtcNow - lastSent > IdleClose)
                    {
                        await connection.CloseAsync();
                    }

                    idle = Backoff.Next(idle, PollInterval, idleCeiling);
                    await signal.WaitAsync(idle, stoppingToken);
                    continue;
                }

                idle = TimeSpan.Zero;

                if (batch.Count == options.CurrentValue.BatchSize)
                {
                    // More is waiting: wake another connection to share it.
                    signal.Notify();
                }

                foreach (var email in batch)
                {
                    await SendAsync(connection, email, stoppingToken);
                }

                lastSent = DateTimeOffset.UtcNow;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // Database away: the emails wait in it; what was claimed comes back when its lease ends.
                backoff = Backoff.Next(backoff, PollInterval, TimeSpan.FromSeconds(30));
                LogDispatchFailed(logger, exception, backoff.TotalSeconds);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<List<DueEmail>> ClaimAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Rows claimed by another connection are skipped, not waited for; the lease keeps them ours outside a transaction.
        var rows = await connection.QueryAsync<DueEmail>(new CommandDefinition("""
            WITH chosen AS (
                SELECT id FROM outgoing_emails
                WHERE status = 'pending' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until <= now())
                ORDER BY next_attempt_at, id LIMIT @limit FOR UPDATE SKIP LOCKED)
            UPDATE outgoing_emails e SET leased_until = now() + @lease
            FROM chosen WHERE e.id = chosen.id
            RETURNING e.id, e.kind, e.recipient, e.site_id AS SiteId, e.announcement_id AS AnnouncementId, e.subscription_id AS SubscriptionId,
                      e.payload::text AS Payload, e.message_id AS MessageId, e.trace_parent AS TraceParent, e.attempts, e.created_at AS CreatedAt,
                      (SELECT s.unsubscribe_token FROM subscriptions s WHERE s.id = e.subscription_id) AS UnsubscribeToken,
                      (NOT EXISTS (SELECT 1 FROM email_suppressions x WHERE x.email_normalized = e.recipient_normalized)
                       AND (e.subscription_id IS NULL OR e.kind = 'confirmation'
                            OR EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = e.subscription_id AND s.status = 'confirmed'))) AS Allowed
            """, new { limit = settings.BatchSize, lease = settings.Lease }, cancellationToken: cancellationToken));
        return [.. rows.OrderBy(row => row.Id)];
    }

    private async Task SendAsync(SmtpConnection connection, DueEmail email, CancellationToken cancellationToken)
    {
        // A broadcast's messages are traces of their own, linked to the send that caused them; any other email continues its cause's trace.
        ActivityContext.TryParse(email.TraceParent, null, out var cause);
        using var activity = email.Kind == EmailKinds.Announcement && email.SubscriptionId is not null
            ? EmailTelemetry.ActivitySource.StartActivity($"email send {email.Kind}", ActivityKind.Client, default(ActivityContext), links: cause == default ? null : [new ActivityLink(cause)])
            : EmailTelemetry.ActivitySource.StartActivity($"email send {email.Kind}", ActivityKind.Client, cause);
        activity?.SetTag("foursite.email.id", email.Id);
        activity?.SetTag("foursite.email.kind", email.Kind);
        activity?.SetTag("foursite.email.attempt", email.Attempts + 1);

        var started = Stopwatch.GetTimestamp();
        SendOutcome outcome;
        if (!email.Allowed)
        {
            outcome = SendOutcome.Skipped;
        }
        else
        {
            outcome = await ComposeAndSendAsync(connection, email, cancellationToken);
        }

        var status = await RecordAsync(email, outcome, CancellationToken.None);
        activity?.SetTag("foursite.email.outcome", status);
        if (outcome.Result is SendResult.Transient or SendResult.Rejected)
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
            LogNotSent(logger, email.Kind, email.Id, status, outcome.Error);
        }

        telemetry.Handled(email.Kind, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<SendOutcome> ComposeAndSendAsync(SmtpConnection connection, DueEmail email, CancellationToken cancellationToken)
    {
        MimeKit.MimeMessage? message;
        try
        {
            message = await composer.ComposeAsync(email, cancellationToken);
        }
        catch (Exception failure) when (failure is MimeKit.ParseException or System.Text.Json.JsonException or FormatException)
        {
            // An address MimeKit cannot write, or a payload it cannot read: the same answer every time, so not retried.
            return new SendOutcome(SendResult.Rejected, $"not composed: {failure.Message}");
        }

        return message is null ? SendOutcome.Skipped : await connection.SendAsync(message, cancellationToken);
    }

    private async Task<string> RecordAsync(DueEmail email, SendOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var attempts = email.Attempts + 1;
        var status = outcome.Result switch
        {
            SendResult.Sent => "sent",
            SendResult.RecipientRefused => "suppressed",
            SendResult.Skipped => "skipped",
            SendResult.Rejected => "failed",
            _ => DateTime.UtcNow - email.CreatedAt > settings.RetryFor ? "failed" : "pending",
        };
        var retries = settings.Retries;
        var retryIn = retries[Math.Min(attempts, retries.Count) - 1];

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE outgoing_emails
            SET status = @status, attempts = @attempts, leased_until = NULL, last_error = @error,
                next_attempt_at = CASE WHEN @status = 'pending' THEN now() + @retryIn ELSE next_attempt_at END,
                sent_at = CASE WHEN @status = 'sent' THEN now() END
            WHERE id = @Id AND status = 'pending';
            INSERT INTO email_suppressions (email_normalized, reason)
            SELECT recipient_normalized, @error FROM outgoing_emails WHERE id = @Id AND @status = 'suppressed'
            ON CONFLICT (email_normalized) DO NOTHING;
            """, new { email.Id, status, attempts, error = outcome.Error is { Length: > 500 } tooLong ? tooLong[..500] : outcome.Error, retryIn },
            cancellationToken: cancellationToken));
        return status;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No SMTP server configured ({Section}:Endpoint): emails are kept and wait for one")]
    private static partial void LogNotConfigured(ILogger logger, string section);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email dispatch failed; retrying in {DelaySeconds:F0} s")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Kind} {EmailId} not sent ({Status}): {Error}")]
    private static partial void LogNotSent(ILogger logger, string kind, Guid emailId, string status, string? error);
}
