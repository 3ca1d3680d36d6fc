using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Email;

/// <summary>
/// Writes emails for the dispatcher, in the caller's transaction: an email exists exactly when the change that causes
/// it commits. The cause's trace travels with it.
/// </summary>
public sealed class EmailQueue(EmailSignal signal, EmailTelemetry telemetry, IOptionsMonitor<EmailOptions> options)
{
    /// <param name="id">The email's id when its cause names it (a redelivered cause then writes nothing twice); else a new one.</param>
    public async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NewEmail email, CancellationToken cancellationToken, Guid? id = null)
    {
        id ??= Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, subscription_id, payload, message_id, trace_parent)
            VALUES (@id, @Kind, @Recipient, @RecipientNormalized, @SiteId, @SubscriptionId, @payload::jsonb, @messageId, @traceParent)
            ON CONFLICT (id) DO NOTHING
            """, new
        {
            id,
            email.Kind,
            email.Recipient,
            email.RecipientNormalized,
            email.SiteId,
            email.SubscriptionId,
            payload = JsonSerializer.Serialize(email.Payload, JsonSerializerOptions.Web),
            messageId = MessageId(id.Value.ToString("N")),
            traceParent = Activity.Current?.Id,
        }, transaction, cancellationToken: cancellationToken));
        telemetry.Queued(email.Kind, 1);
    }

    /// <summary>A <c>Message-ID</c> on the sender's domain, the same on every attempt so a repeat can be recognised.</summary>
    public string MessageId(string localPart) => $"<{localPart}@{SenderDomain}>";

    public string SenderDomain => options.CurrentValue.SenderDomain;

    public void Counted(string kind, int count) => telemetry.Queued(kind, count);

    /// <summary>After the transaction commits: the dispatcher need not wait for its next poll.</summary>
    public void Flush() => signal.Notify();
}

/// <summary>An email to write: what it is, to whom, and what its body is composed from.</summary>
public sealed record NewEmail(string Kind, string Recipient, string RecipientNormalized, Guid? SiteId, object Payload, Guid? SubscriptionId = null);
