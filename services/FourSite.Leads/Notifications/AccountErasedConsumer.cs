using Dapper;
using FourSite.Contracts.Accounts;
using MassTransit;
using Npgsql;

namespace FourSite.Leads.Notifications;

/// <summary>An erased account's notification address, its settings and the emails still waiting for it go; a repeated message changes nothing.</summary>
public sealed class AccountErasedConsumer(NpgsqlDataSource dataSource) : IConsumer<AccountErased>
{
    public async Task Consume(ConsumeContext<AccountErased> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM outgoing_emails o USING notification_addresses a
            WHERE a.account_id = @AccountId AND o.recipient_normalized = a.email_normalized AND o.status = 'pending' AND o.subscription_id IS NULL;
            DELETE FROM email_tokens WHERE account_id = @AccountId;
            DELETE FROM notification_addresses WHERE account_id = @AccountId;
            DELETE FROM lead_notification_settings WHERE account_id = @AccountId;
            """, new { context.Message.AccountId }, transaction, cancellationToken: context.CancellationToken));
        await transaction.CommitAsync(context.CancellationToken);
    }
}
