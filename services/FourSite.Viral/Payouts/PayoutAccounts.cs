using Dapper;
using Npgsql;
using Stripe;

namespace FourSite.Viral.Payouts;

/// <summary>A referrer's Stripe Express account and what Stripe last said of it (a class: Dapper fills arrays into properties, not constructors).</summary>
public sealed class PayoutAccount
{
    public Guid AccountId { get; init; }

    public string StripeAccountId { get; init; } = "";

    public bool DetailsSubmitted { get; init; }

    public bool PayoutsEnabled { get; init; }

    public string[] RequirementsDue { get; init; } = [];

    public string? DisabledReason { get; init; }

    public string? Country { get; init; }

    /// <summary>
    /// <c>onboarding</c> (Stripe still needs the referrer's details), <c>pending</c> (submitted, Stripe verifying or
    /// asking for more), <c>enabled</c> (transfers can be paid), <c>disabled</c> (Stripe says why).
    /// </summary>
    public string State => PayoutsEnabled ? "enabled" : DisabledReason is not null && DetailsSubmitted ? "disabled" : DetailsSubmitted ? "pending" : "onboarding";
}

/// <summary>The referrers' payout accounts: made once per FourSite account, kept current from Stripe's <c>account.updated</c> events.</summary>
public sealed class PayoutAccounts(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = """
        account_id AS AccountId, stripe_account_id AS StripeAccountId, details_submitted AS DetailsSubmitted, payouts_enabled AS PayoutsEnabled,
        requirements_due AS RequirementsDue, disabled_reason AS DisabledReason, country
        """;

    public async Task<PayoutAccount?> FindAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PayoutAccount>(new CommandDefinition(
            $"SELECT {Columns} FROM payout_accounts WHERE account_id = @accountId", new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>Keeps the account Stripe made for <paramref name="accountId"/>; the first kept wins (two clicks at once make one, by idempotency key).</summary>
    public async Task<PayoutAccount> RememberAsync(Guid accountId, Account account, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO payout_accounts (account_id, stripe_account_id, details_submitted, payouts_enabled, requirements_due, disabled_reason, country, created_at, updated_at)
            VALUES (@accountId, @Id, @DetailsSubmitted, @PayoutsEnabled, @due, @disabled, @Country, @created, @created)
            ON CONFLICT (account_id) DO NOTHING
            """, Parameters(account, accountId, now), cancellationToken: cancellationToken));
        return (await FindAsync(accountId, cancellationToken))!;
    }

    /// <summary>What Stripe says of a connected account now (an event, or a read on the referrer's return); an older report changes nothing.</summary>
    public async Task<bool> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Account account, DateTimeOffset reportedAt, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE payout_accounts
            SET details_submitted = @DetailsSubmitted, payouts_enabled = @PayoutsEnabled, requirements_due = @due, disabled_reason = @disabled,
                country = coalesce(@Country, country), updated_at = @now
            WHERE stripe_account_id = @Id AND updated_at <= @now
            """, Parameters(account, null, reportedAt), transaction, cancellationToken: cancellationToken)) > 0;

    public async Task<bool> ApplyAsync(Account account, DateTimeOffset reportedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ApplyAsync(connection, null, account, reportedAt, cancellationToken);
    }

    private static object Parameters(Account account, Guid? accountId, DateTimeOffset now) => new
    {
        accountId,
        account.Id,
        account.DetailsSubmitted,
        account.PayoutsEnabled,
        due = (account.Requirements?.CurrentlyDue ?? []).Concat(account.Requirements?.PastDue ?? []).Distinct().ToArray(),
        disabled = account.Requirements?.DisabledReason,
        account.Country,
        now,
        // Stripe's events about the account are stamped (to the second) after its creation, never before.
        created = account.Created == default ? now : new DateTimeOffset(DateTime.SpecifyKind(account.Created, DateTimeKind.Utc)),
    };
}
