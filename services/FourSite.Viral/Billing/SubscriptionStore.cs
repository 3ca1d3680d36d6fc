using Dapper;
using Npgsql;

namespace FourSite.Viral.Billing;

/// <summary>Who pays for a site's subscription.</summary>
public sealed record SubscriptionPayer(string CustomerId, Guid? BuyerAccountId, Guid OwnerId);

/// <summary>Reads of Pro subscriptions outside Stripe's events.</summary>
public sealed class SubscriptionStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Who pays for the site's latest subscription: the Stripe customer, and the account or site owner that bought it.</summary>
    public async Task<SubscriptionPayer?> PayerOfAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionPayer>(new CommandDefinition("""
            SELECT customer_id AS CustomerId, buyer_account_id AS BuyerAccountId, owner_id AS OwnerId
            FROM subscriptions WHERE website_id = @siteId AND customer_id IS NOT NULL ORDER BY created_at DESC LIMIT 1
            """, new { siteId }, cancellationToken: cancellationToken));
    }

    /// <summary>Whether the site is Pro now (a paid period or a grace period).</summary>
    public async Task<bool> IsProAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM subscriptions WHERE website_id = @siteId AND {SubscriptionLifecycle.ProUntil} > @now)",
            new { siteId, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    /// <summary>The site's subscriptions Stripe still bills.</summary>
    public async Task<IReadOnlyList<string>> LiveOfAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM subscriptions WHERE website_id = @siteId AND status <> 'canceled'", new { siteId }, cancellationToken: cancellationToken))).ToList();
    }
}
