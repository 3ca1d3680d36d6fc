using Dapper;
using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using Npgsql;

namespace FourSite.Generation.Accounts;

/// <summary>Accounts in PostgreSQL: found or created at sign-in, erased on request, each change announced through the outbox.</summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock)
{
    private const string Columns = "id, github_id AS GitHubId, login, name, avatar_url AS AvatarUrl, created_at AS CreatedAt";

    /// <summary>
    /// The account of this GitHub user, its profile refreshed; created on the first sign-in, which announces
    /// <see cref="AccountSignedUp"/> in the same transaction (once per GitHub user, however many sign-ins race).
    /// </summary>
    public async Task<(Account Account, bool SignedUp)> SignInAsync(GitHubIdentity identity, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<SignInRow>(new CommandDefinition($"""
            INSERT INTO accounts (id, github_id, login, name, avatar_url)
            VALUES (@id, @GitHubId, @Login, @Name, @AvatarUrl)
            ON CONFLICT (github_id) DO UPDATE SET login = excluded.login, name = excluded.name, avatar_url = excluded.avatar_url, last_sign_in_at = now()
            RETURNING {Columns}, (xmax = 0) AS Created
            """, new { id = Guid.CreateVersion7(), identity.GitHubId, identity.Login, identity.Name, identity.AvatarUrl }, transaction, cancellationToken: cancellationToken));
        if (row.Created)
        {
            await outbox.PublishAsync(new AccountSignedUp(row.Id, clock.GetUtcNow()), transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return (new Account(row.Id, row.GitHubId, row.Login, row.Name, row.AvatarUrl, row.CreatedAt), row.Created);
    }

    public async Task<Account?> FindAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts WHERE id = @accountId", new { accountId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Erases the account: its sites are removed (each announced with <see cref="SiteRemoved"/>), its jobs forget it, its
    /// row (all its personal data) goes, and <see cref="AccountErased"/> tells the other services. False when no such account.
    /// </summary>
    public async Task<bool> EraseAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var erased = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM accounts WHERE id = @accountId", new { accountId }, transaction, cancellationToken: cancellationToken));
        if (erased == 0)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var sites = await connection.QueryAsync<(Guid Id, string Slug)>(new CommandDefinition(
            "DELETE FROM websites WHERE account_id = @accountId RETURNING id, slug", new { accountId }, transaction, cancellationToken: cancellationToken));
        foreach (var (siteId, slug) in sites)
        {
            await outbox.PublishAsync(new SiteRemoved(siteId, slug, now), transaction, cancellationToken);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE generation_jobs SET account_id = NULL WHERE account_id = @accountId", new { accountId }, transaction, cancellationToken: cancellationToken));
        await outbox.PublishAsync(new AccountErased(accountId, now), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    private sealed record SignInRow(Guid Id, long GitHubId, string Login, string? Name, string? AvatarUrl, DateTime CreatedAt, bool Created);
}
