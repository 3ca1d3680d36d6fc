using Dapper;
using Npgsql;

namespace FourSite.Generation.Moderation;

/// <summary>
/// Repositories (<c>owner/name</c>), GitHub owners and accounts (by GitHub login) no new site is generated for. Adding a
/// block may suspend the sites it covers in the same transaction.
/// </summary>
public sealed class BlockStore(NpgsqlDataSource dataSource, ModerationStore moderation, ServiceDefaults.Outbox.Outbox outbox)
{
    public const string Repository = "repository";
    public const string Owner = "owner";
    public const string Account = "account";

    /// <summary>Adds a block (or updates the reason of the same one); with <paramref name="suspendExisting"/>, suspends its live sites for abuse.</summary>
    public async Task<(Block Block, int Suspended)> AddAsync(string kind, string value, string reason, bool suspendExisting, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var block = await connection.QuerySingleAsync<Block>(new CommandDefinition("""
            INSERT INTO blocks (id, kind, value, reason, actor) VALUES (@id, @kind, @value, @reason, @actor)
            ON CONFLICT (kind, value) DO UPDATE SET reason = excluded.reason, actor = excluded.actor
            RETURNING id, kind, value, reason, actor, created_at AS CreatedAt
            """, new { id = Guid.CreateVersion7(), kind, value, reason, actor }, transaction, cancellationToken: cancellationToken));
        await ModerationStore.RecordAsync(new ModerationAction("block", null, $"{kind} {value}", reason, actor), transaction, cancellationToken);
        var suspended = 0;
        if (suspendExisting)
        {
            var covered = await connection.QueryAsync<Guid>(new CommandDefinition("""
                SELECT id FROM websites
                WHERE suspension IS NULL AND CASE @kind
                    WHEN 'repository' THEN lower(repo_owner || '/' || repo_name) = @value
                    WHEN 'owner' THEN lower(repo_owner) = @value
                    ELSE account_id IN (SELECT id FROM accounts WHERE lower(login) = @value)
                END
                """, new { kind, value }, transaction, cancellationToken: cancellationToken));
            foreach (var siteId in covered)
            {
                var slug = await moderation.SuspendAsync(siteId, SuspendedPage.Abuse, reason, transaction, cancellationToken);
                await ModerationStore.RecordAsync(new ModerationAction("suspend", siteId, $"{slug} (abuse)", $"{kind} {value} blocked: {reason}", actor), transaction, cancellationToken);
                suspended++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return (block, suspended);
    }

    public async Task<IReadOnlyList<Block>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Block>(new CommandDefinition(
            "SELECT id, kind, value, reason, actor, created_at AS CreatedAt FROM blocks ORDER BY created_at DESC", cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Lifts a block (its suspended sites stay suspended until reinstated one by one); false when there is no such block.</summary>
    public async Task<bool> RemoveAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await connection.QuerySingleOrDefaultAsync<Block>(new CommandDefinition(
            "DELETE FROM blocks WHERE id = @id RETURNING id, kind, value, reason, actor, created_at AS CreatedAt", new { id }, transaction, cancellationToken: cancellationToken));
        if (removed is null)
        {
            return false;
        }

        await ModerationStore.RecordAsync(new ModerationAction("unblock", null, $"{removed.Kind} {removed.Value}", removed.Reason, actor), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The block that refuses a generation of <c>@owner</c>/<c>@name</c> for <c>@accountId</c> (its repository, owner or account), if any.</summary>
    public const string Covering = """
        SELECT id, kind, value, reason, actor, created_at AS CreatedAt FROM blocks
        WHERE (kind = 'repository' AND value = lower(@owner || '/' || @name))
           OR (kind = 'owner' AND value = lower(@owner))
           OR (kind = 'account' AND value = (SELECT lower(login) FROM accounts WHERE id = @accountId))
        LIMIT 1
        """;
}

/// <summary>A block as kept.</summary>
public sealed record Block(Guid Id, string Kind, string Value, string Reason, string Actor, DateTime CreatedAt);
