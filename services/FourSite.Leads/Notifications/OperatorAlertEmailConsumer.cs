using System.Security.Cryptography;
using System.Text;
using FourSite.Contracts.Metrics;
using FourSite.Leads.Email;
using FourSite.ServiceDefaults.Identity;
using MassTransit;
using Npgsql;

namespace FourSite.Leads.Notifications;

/// <summary>
/// An alert for an email channel's on-call addresses: one email each, sent by the platform's dispatcher with its
/// retries. Each email's id follows from the delivery and the address, so a redelivered message queues nothing twice.
/// </summary>
public sealed class OperatorAlertEmailConsumer(NpgsqlDataSource dataSource, EmailQueue emails) : IConsumer<OperatorAlertEmail>
{
    public async Task Consume(ConsumeContext<OperatorAlertEmail> context)
    {
        var alert = context.Message;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        foreach (var address in alert.To.Where(EmailIdentity.IsValid).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var recipient = address.Trim();
            await emails.AddAsync(connection, null, new NewEmail(EmailKinds.OperatorAlert, recipient, EmailIdentity.Normalise(recipient), null,
                new OperatorAlertPayload(alert.Rule, alert.Severity, alert.Transition, alert.Message, alert.Value, alert.Threshold, alert.At)),
                context.CancellationToken, EmailId(alert.DeliveryId, recipient));
        }

        emails.Flush();
    }

    private static Guid EmailId(Guid deliveryId, string recipient) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{deliveryId:N}/{recipient.ToLowerInvariant()}")).AsSpan(0, 16));
}
