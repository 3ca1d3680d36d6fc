using System.Diagnostics;
using Dapper;
using FourSite.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Webhooks;

/// <summary>
/// Delivers due webhook deliveries. Each is claimed with a lease (replicas share the work, and a replica that dies mid
/// attempt leaves it to another once the lease ends), sent without waiting for the others, and its outcome recorded:
/// delivered; retried on the schedule with jitter; given up after the last retry; or, on <c>410 Gone</c> or after days
/// of failures, the webhook is disabled with the reason. A webhook has at most a few attempts under way, so a slow
/// target delays only its own deliveries.
/// </summary>
public sealed partial class WebhookDispatcher(
    NpgsqlDataSource dataSource,
    WebhookSender sender,
    WebhookSignal signal,
    IOptionsMonitor<WebhookOptions> options,
    WebhookTelemetry telemetry,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private readonly HashSet<Task> _inFlight = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.Zero;
        var idle = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _inFlight.RemoveWhere(task => task.IsCompleted);
                var room = options.CurrentValue.MaxInFlight - _inFlight.Count;
                var claimed = 0;
                if (room > 0)
                {
                    foreach (var delivery in await ClaimAsync(room, stoppingToken))
                    {
                        _inFlight.Add(DeliverAsync(delivery, stoppingToken));
                        claimed++;
                    }
                }

                backoff = TimeSpan.Zero;
                // Deliveries under way may schedule retries: poll at the usual pace until none is left.
                idle = claimed > 0 || _inFlight.Count > 0 ? PollInterval : Backoff.Next(idle, PollInterval, WorkSignal.IdlePollCeiling);
                await signal.WaitAsync(idle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // Database away: the deliveries wait in it; try again, more slowly each time.
                backoff = Backoff.Next(backoff, PollInterval, TimeSpan.FromSeconds(30));
                LogDispatchFailed(logger, exception, backoff.TotalSeconds);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await Task.WhenAll(_inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task<IReadOnlyList<DueDelivery>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A lease, not a held row lock: the attempt runs outside any transaction. Re-checking the lease in the UPDATE
        // makes two replicas that picked the same row claim it once.
        var rows = await connection.QueryAsync<DueDelivery>(new CommandDefinition("""
            WITH busy AS (
                SELECT webhook_id, count(*) AS leased FROM webhook_deliveries
                WHERE status = 'pending' AND leased_until > now() GROUP BY webhook_id),
            due AS (
                SELECT d.id, d.next_attempt_at,
                       row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.next_attempt_at, d.id) + coalesce(b.leased, 0) AS slot
                FROM webhook_deliveries d
                JOIN webhooks w ON w.id = d.webhook_id AND w.enabled
                LEFT JOIN busy b ON b.webhook_id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.leased_until IS NULL OR d.leased_until <= now())),
            chosen AS (
                SELECT id FROM due WHERE slot <= @perWebhook ORDER BY next_attempt_at LIMIT @limit)
            UPDATE webhook_deliveries d SET leased_until = now() + @lease
            FROM chosen, webhooks w
            WHERE d.id = chosen.id AND w.id = d.webhook_id AND d.status = 'pending' AND (d.leased_until IS NULL OR d.leased_until <= now())
            RETURNING d.id, d.webhook_id AS WebhookId, d.event_type AS EventType, d.payload, d.trace_parent AS TraceParent, d.attempts, w.url, w.secret,
                      CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS PreviousSecret
            """, new { limit, perWebhook = settings.MaxInFlightPerWebhook, lease = settings.Timeout + TimeSpan.FromSeconds(30) },
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        // Under the trace of the change that caused the event, however long after it the attempt is made.
        ActivityContext.TryParse(delivery.TraceParent, null, out var cause);
        using var activity = WebhookTelemetry.ActivitySource.StartActivity($"webhook deliver {delivery.EventType}", ActivityKind.Producer, cause);
        activity?.SetTag("foursite.webhook.id", delivery.WebhookId);
        activity?.SetTag("foursite.webhook.delivery", delivery.Id);
        activity?.SetTag("foursite.webhook.attempt", delivery.Attempts + 1);
        try
        {
            var outcome = await sender.SendAsync(delivery, cancellationToken);
            activity?.SetTag("http.response.status_code", outcome.StatusCode);
            if (!outcome.Delivered)
            {
                activity?.SetStatus(ActivityStatusCode.Error, outcome.Error ?? $"HTTP {outcome.StatusCode}");
            }

            telemetry.Attempted(delivery.EventType, outcome);
            await RecordAsync(delivery, outcome, CancellationToken.None);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The outcome could not be recorded: the lease runs out and the delivery is attempted again (at least once).
            LogRecordFailed(logger, exception, delivery.Id);
        }
        finally
        {
            signal.Notify();
        }
    }

    private async Task RecordAsync(DueDelivery delivery, AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var retries = settings.Retries;
        var attempts = delivery.Attempts + 1;
        var status = outcome.Delivered ? "delivered" : outcome.Gone || attempts > retries.Count ? "failed" : "pending";
        var retryIn = status == "pending" ? Jittered(retries[attempts - 1]) : TimeSpan.Zero;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO webhook_attempts (delivery_id, status_code, latency_ms, error) VALUES (@Id, @statusCode, @latency, @error);
            UPDATE webhook_deliveries
            SET status = @status, attempts = @attempts, leased_until = NULL, next_attempt_at = now() + @retryIn,
                delivered_at = CASE WHEN @status = 'delivered' THEN now() END
            WHERE id = @Id AND status = 'pending';
            """, new { delivery.Id, statusCode = outcome.StatusCode, latency = outcome.LatencyMs, error = outcome.Error, status, attempts, retryIn },
            transaction, cancellationToken: cancellationToken));

        string? disabledFor = null;
        if (outcome.Delivered)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE webhooks SET failing_since = NULL WHERE id = @WebhookId AND failing_since IS NOT NULL", delivery, transaction, cancellationToken: cancellationToken));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE webhooks SET failing_since = coalesce(failing_since, now()) WHERE id = @WebhookId", delivery, transaction, cancellationToken: cancellationToken));
            disabledFor = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
                UPDATE webhooks
                SET enabled = false, disabled_at = now(),
                    disabled_reason = CASE WHEN @gone THEN 'The endpoint answered 410 Gone: it asked for no more deliveries.'
                                           ELSE 'Every delivery failed for ' || @days || ' days (since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC).' END
                WHERE id = @WebhookId AND enabled AND (@gone OR failing_since <= now() - @disableAfter)
                RETURNING CASE WHEN @gone THEN 'gone' ELSE 'failing' END
                """, new { delivery.WebhookId, gone = outcome.Gone, disableAfter = settings.DisableAfterFailingFor, days = Math.Round(settings.DisableAfterFailingFor.TotalDays, 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        if (disabledFor is not null)
        {
            telemetry.Disabled(disabledFor);
            LogDisabled(logger, delivery.WebhookId, disabledFor);
        }
    }

    /// <summary>The wait plus or minus a fifth, so deliveries that failed together do not all come back together.</summary>
#pragma warning disable CA5394 // Jitter spreads retries out; nothing depends on it being unpredictable.
    private static TimeSpan Jittered(TimeSpan wait) => wait * (0.8 + Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook dispatch failed; retrying in {DelaySeconds:F0} s")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of webhook delivery {DeliveryId} could not be recorded; it will be attempted again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} was disabled ({Reason})")]
    private static partial void LogDisabled(ILogger logger, Guid webhookId, string reason);
}
