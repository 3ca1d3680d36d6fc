using Dapper;
using FourSite.Generation.Pipeline;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Generation.Moderation;

/// <summary>
/// Lets a new generation in, or not: refused when a block covers its repository, owner or account, or when its network or
/// account has generated its quota of sites in the last 24 hours. An admitted job is recorded (with its command queued)
/// in the same transaction the quotas are counted in, one network and account at a time, so a burst cannot slip past.
/// </summary>
public sealed class GenerationAdmission(NpgsqlDataSource dataSource, JobStore jobs, ServiceDefaults.Outbox.Outbox outbox, IOptionsMonitor<AbuseOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <param name="termsVersion">The terms the person accepted, recorded with the job when given.</param>
    public async Task<Admission> AdmitAsync(GenerationJob job, string? network, CancellationToken cancellationToken, string? termsVersion = null)
    {
        var limits = options.CurrentValue;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One round trip: the network's and account's locks, then the block covering the request, if any.
        Block? block;
        using (var locked = await connection.QueryMultipleAsync(new CommandDefinition($"""
            SELECT pg_advisory_xact_lock(hashtextextended(coalesce(@network, ''), 11))::text, pg_advisory_xact_lock(hashtextextended(coalesce(@account, ''), 13))::text;
            {BlockStore.Covering}
            """, new { network, account = job.AccountId?.ToString(), owner = job.RepoOwner, name = job.RepoName, accountId = job.AccountId }, transaction, cancellationToken: cancellationToken)))
        {
            await locked.ReadAsync();
            block = await locked.ReadFirstOrDefaultAsync<Block>();
        }

        if (block is not null)
        {
            return Admission.Blocked(block.Kind);
        }

        // One read of the network's last day answers both its daily quota and whether this is a burst within the hour.
        var byNetwork = network is null || (limits.SitesPerNetworkPerDay == 0 && limits.SiteBurstPerNetworkPerHour == 0)
            ? null
            : await connection.QuerySingleAsync<NetworkCount>(new CommandDefinition(ByNetwork, new { network }, transaction, cancellationToken: cancellationToken));
        if (byNetwork is not null && limits.SitesPerNetworkPerDay > 0 && byNetwork.Count >= limits.SitesPerNetworkPerDay)
        {
            return Admission.OverQuota("network", limits.SitesPerNetworkPerDay, new WindowCount(byNetwork.Count, byNetwork.Oldest).RetryAfter(Day, clock));
        }

        if (job.AccountId is { } accountId && limits.SitesPerAccountPerDay > 0
            && await connection.QuerySingleAsync<WindowCount>(new CommandDefinition(ByAccount, new { accountId }, transaction, cancellationToken: cancellationToken)) is { } byAccount
            && byAccount.Count >= limits.SitesPerAccountPerDay)
        {
            return Admission.OverQuota("account", limits.SitesPerAccountPerDay, byAccount.RetryAfter(Day, clock));
        }

        // Many new sites from one network within an hour look scripted: the next ones are let in, and queued for a look.
        var burst = byNetwork is not null && limits.SiteBurstPerNetworkPerHour > 0 && byNetwork.LastHour >= limits.SiteBurstPerNetworkPerHour;
        await jobs.RecordAsync(job, transaction, cancellationToken, new JobOrigin(network, termsVersion, burst ? NetworkBurst : null));
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return Admission.Admitted;
    }

    /// <summary>The review reason of a site generated in a burst from its network.</summary>
    public const string NetworkBurst = "network_burst";

    /// <summary>New sites (not regenerations) asked for in the last 24 hours from one network, the oldest of them, and how many in the last hour.</summary>
    private const string ByNetwork = """
        SELECT count(*) AS Count, min(created_at) AS Oldest, count(*) FILTER (WHERE created_at > now() - interval '1 hour') AS LastHour FROM generation_jobs
        WHERE network = @network AND regenerates_site_id IS NULL AND created_at > now() - interval '1 day'
        """;

    /// <summary>New sites (not regenerations) asked for in the last 24 hours by one account.</summary>
    private const string ByAccount = """
        SELECT count(*) AS Count, min(created_at) AS Oldest FROM generation_jobs
        WHERE account_id = @accountId AND regenerates_site_id IS NULL AND created_at > now() - interval '1 day'
        """;

    private sealed record NetworkCount(long Count, DateTime? Oldest, long LastHour);
}

/// <summary>Whether a generation was let in; if not, the block's kind or the quota that refused it.</summary>
public sealed record Admission(bool IsAdmitted, string? BlockedBy, string? Quota, int Limit, TimeSpan RetryAfter)
{
    public static readonly Admission Admitted = new(true, null, null, 0, TimeSpan.Zero);

    public static Admission Blocked(string kind) => new(false, kind, null, 0, TimeSpan.Zero);

    public static Admission OverQuota(string quota, int limit, TimeSpan retryAfter) => new(false, null, quota, limit, retryAfter);
}
