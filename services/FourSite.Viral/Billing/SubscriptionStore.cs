using Dapper;
using Npgsql;

namespace FourSite.Viral.Billing;

/// <summary>Reads of Pro subscriptions outside Stripe's events.</summary>
public sealed class SubscriptionStore(NpgsqlDataSource dataSource)
{
    /// <summary>The Stripe customer paying for the site's latest subscription, for the billing portal.</summary>
    public async Task<string?> CustomerOfAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT customer_id FROM subscriptions WHERE website_id = @siteId AND customer_id IS NOT NULL ORDER BY created_at DESC LIMIT 1",
            new { siteId }, cancellationToken: cancellationToken));
    }
}
