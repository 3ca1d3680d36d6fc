using System.Security.Cryptography;
using Dapper;
using FourSite.Generation.Pro;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Domains;

/// <summary>What adding a domain to a site came to.</summary>
public enum DomainClaim
{
    Added,
    AlreadyAdded,
    TakenByAnotherSite,
    LimitReached,
}

/// <summary>Custom domains in PostgreSQL.</summary>
public sealed class DomainStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "domain, verification_value AS Value, created_at AS CreatedAt, verified_at AS VerifiedAt";

    public async Task<(DomainClaim Claim, CustomDomain? Domain)> AddAsync(Guid siteId, string domain, int maxPerSite, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One claim at a time per site, so the limit holds.
        await connection.ExecuteAsync(new CommandDefinition("SELECT 1 FROM websites WHERE id = @siteId FOR UPDATE", new { siteId }, transaction, cancellationToken: cancellationToken));
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM custom_domains WHERE domain = @domain AND verified_at IS NOT NULL AND site_id <> @siteId)",
            new { domain, siteId }, transaction, cancellationToken: cancellationToken)))
        {
            return (DomainClaim.TakenByAnotherSite, null);
        }

        if (await FindAsync(connection, transaction, siteId, domain, cancellationToken) is { } existing)
        {
            return (DomainClaim.AlreadyAdded, existing);
        }

        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM custom_domains WHERE site_id = @siteId", new { siteId }, transaction, cancellationToken: cancellationToken)) >= maxPerSite)
        {
            return (DomainClaim.LimitReached, null);
        }

        var value = $"foursite-verification={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO custom_domains (domain, site_id, verification_value, created_at) VALUES (@domain, @siteId, @value, @now)",
            new { domain, siteId, value, now = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));
        var added = await FindAsync(connection, transaction, siteId, domain, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (DomainClaim.Added, added);
    }

    public async Task<IReadOnlyList<CustomDomain>> ListAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM custom_domains WHERE site_id = @siteId ORDER BY created_at", new { siteId }, cancellationToken: cancellationToken)))
            .Select(View).ToList();
    }

    public async Task<CustomDomain?> FindAsync(Guid siteId, string domain, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, siteId, domain, cancellationToken);
    }

    /// <returns>The verified domain; null when another site verified it first.</returns>
    public async Task<CustomDomain?> MarkVerifiedAsync(Guid siteId, string domain, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE custom_domains SET verified_at = coalesce(verified_at, @now) WHERE site_id = @siteId AND domain = @domain",
                new { siteId, domain, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }

        return await FindAsync(connection, null, siteId, domain, cancellationToken);
    }

    public async Task<bool> RemoveAsync(Guid siteId, string domain, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM custom_domains WHERE site_id = @siteId AND domain = @domain", new { siteId, domain }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The site a domain is served as: verified, its site Pro now (its paid period or grace period) and not suspended.</summary>
    public async Task<ServedDomain?> ServedAsync(string domain, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ServedDomain>(new CommandDefinition($"""
            SELECT d.domain, w.id AS SiteId, w.slug
            FROM custom_domains d JOIN websites w ON w.id = d.site_id
            WHERE d.domain = @domain AND d.verified_at IS NOT NULL AND {ProStatus.IsPro} AND w.suspension IS NULL
            """, new { domain, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private static async Task<CustomDomain?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid siteId, string domain, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM custom_domains WHERE site_id = @siteId AND domain = @domain", new { siteId, domain }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : View(row);
    }

    private static CustomDomain View(Row row) => new(row.Domain, row.VerifiedAt is null ? "pending" : "verified",
        new DomainVerification("TXT", DomainName.ChallengeName(row.Domain), row.Value), Utc(row.CreatedAt), Utc(row.VerifiedAt));

    private sealed record Row(string Domain, string Value, DateTime CreatedAt, DateTime? VerifiedAt);
}
