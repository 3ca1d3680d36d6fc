using Dapper;
using FourSite.Contracts.Accounts;
using MassTransit;
using Npgsql;

namespace FourSite.Viral.Ownership;

/// <summary>
/// An erased account's referral codes go, and so does the account itself; upgrades and commissions stay, as records of
/// money, without it. A repeated event changes nothing.
/// </summary>
public sealed class AccountErasedConsumer(NpgsqlDataSource dataSource) : IConsumer<AccountErased>
{
    public async Task Consume(ConsumeContext<AccountErased> context)
    {
        var accountId = context.Message.AccountId;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        foreach (var statement in new[]
        {
            // The money records first lose the account and its codes, so the codes can go.
            "UPDATE commissions SET referral_code = NULL WHERE referral_code IN (SELECT code FROM referral_codes WHERE account_id = @accountId)",
            "UPDATE upgrades SET referral_code = NULL WHERE referral_code IN (SELECT code FROM referral_codes WHERE account_id = @accountId)",
            "UPDATE commissions SET referrer_account_id = NULL WHERE referrer_account_id = @accountId",
            "UPDATE upgrades SET buyer_account_id = NULL WHERE buyer_account_id = @accountId",
            "DELETE FROM referral_codes WHERE account_id = @accountId",
            "DELETE FROM accounts WHERE account_id = @accountId",
            // Its Stripe account stays Stripe's (and the referrer's); only the link to it goes.
            "DELETE FROM payout_accounts WHERE account_id = @accountId",
            "UPDATE viral_scores SET account_id = NULL WHERE account_id = @accountId",
        })
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, new { accountId }, transaction, cancellationToken: context.CancellationToken));
        }

        await transaction.CommitAsync(context.CancellationToken);
    }
}
