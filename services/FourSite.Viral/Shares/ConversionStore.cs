using Dapper;
using FourSite.Contracts.Leads;
using FourSite.Viral.Referrals;
using FourSite.Viral.Scores;
using Npgsql;

namespace FourSite.Viral.Shares;

/// <summary>What became of an arrival: whether it was new, and the fraud signal it raised, if any.</summary>
public sealed record ArrivalOutcome(bool Recorded, string? FraudSignal, double ViralScore);

/// <summary>
/// Visits and leads that came through shares or referral codes. Each is held against the site's sharers
/// (<see cref="ReferralFraud"/>): a clean one raises the site's score, a flagged one is kept but earns nothing.
/// </summary>
public sealed class ConversionStore(NpgsqlDataSource dataSource, ScoreRecorder scores, ViralTelemetry telemetry, TimeProvider clock)
{
    /// <summary>Records a visit that arrived through a shared link or a known referral code; one per session and site.</summary>
    public async Task<ArrivalOutcome> RecordVisitAsync(Guid websiteId, string? platform, string? referralCode, Arrival visitor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        referralCode = await KnownReferralCodeAsync(connection, transaction, referralCode, cancellationToken);
        if (platform is null && referralCode is null)
        {
            return new ArrivalOutcome(false, null, 0);
        }

        var earlier = await EarlierFromNetworkAsync(connection, transaction, "share_visits", websiteId, visitor.ClientNetwork, now, cancellationToken);
        var signal = ReferralFraud.Signal(visitor, await SharersLikeAsync(connection, transaction, websiteId, visitor, cancellationToken), earlier);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO share_visits (id, website_id, platform, referral_code, session_id, client_network, verified, fraud_reason, created_at)
            VALUES (@id, @websiteId, @platform, @referralCode, @sessionId, @clientNetwork, @verified, @signal, @now)
            ON CONFLICT (website_id, session_id) DO NOTHING
            """, new { id = Guid.CreateVersion7(), websiteId, platform, referralCode, sessionId = visitor.SessionId, clientNetwork = visitor.ClientNetwork, verified = signal is null, signal, now },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return new ArrivalOutcome(false, null, 0);
        }

        if (await scores.RecordAsync(connection, transaction, websiteId, new ScoreChange(Visits: signal is null ? 1 : 0), now, cancellationToken) is not { } score)
        {
            return new ArrivalOutcome(false, null, 0); // the site was removed: nothing is kept
        }

        await transaction.CommitAsync(cancellationToken);
        telemetry.Arrived("visit", platform, signal);
        return new ArrivalOutcome(true, signal, score);
    }

    /// <summary>
    /// Records a captured lead as a conversion when it came through a share (its session's visit, or a social referrer)
    /// or a known referral code. A repeated event changes nothing.
    /// </summary>
    public async Task<ArrivalOutcome> RecordLeadAsync(LeadCaptured lead, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var visit = lead.SessionId is null ? default : await connection.QuerySingleOrDefaultAsync<(string? Platform, string? ReferralCode)>(new CommandDefinition(
            "SELECT platform, referral_code FROM share_visits WHERE website_id = @siteId AND session_id = @sessionId",
            new { lead.SiteId, lead.SessionId }, transaction, cancellationToken: cancellationToken));
        var platform = visit.Platform ?? SharePlatforms.FromReferrer(lead.Referrer);
        var referralCode = await KnownReferralCodeAsync(connection, transaction, lead.ReferralCode ?? visit.ReferralCode, cancellationToken);
        if (platform is null && referralCode is null)
        {
            return new ArrivalOutcome(false, null, 0);
        }

        var visitor = new Arrival(lead.SessionId, lead.ClientNetwork);
        var earlier = await EarlierFromNetworkAsync(connection, transaction, "conversions", lead.SiteId, lead.ClientNetwork, lead.CapturedAt, cancellationToken);
        var signal = ReferralFraud.Signal(visitor, await SharersLikeAsync(connection, transaction, lead.SiteId, visitor, cancellationToken), earlier);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO conversions (lead_id, website_id, person_hash, platform, referral_code, session_id, client_network, verified, fraud_reason, created_at)
            VALUES (@leadId, @siteId, @personHash, @platform, @referralCode, @sessionId, @clientNetwork, @verified, @signal, @capturedAt)
            ON CONFLICT (lead_id) DO NOTHING
            """, new { lead.LeadId, lead.SiteId, lead.PersonHash, platform, referralCode, lead.SessionId, lead.ClientNetwork, verified = signal is null, signal, lead.CapturedAt },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return new ArrivalOutcome(false, null, 0);
        }

        if (await scores.RecordAsync(connection, transaction, lead.SiteId, new ScoreChange(Leads: signal is null ? 1 : 0), clock.GetUtcNow(), cancellationToken) is not { } score)
        {
            return new ArrivalOutcome(false, null, 0); // the site was removed: nothing is kept
        }

        await transaction.CommitAsync(cancellationToken);
        telemetry.Arrived("lead", platform, signal);
        return new ArrivalOutcome(true, signal, score);
    }

    /// <summary>Forgets a person's conversions; the sites they counted for lose the credit. Returns the sites touched.</summary>
    public async Task<IReadOnlyList<(Guid WebsiteId, double ViralScore)>> EraseAsync(string personHash, CancellationToken cancellationToken, Guid? siteId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var erased = await connection.QueryAsync<(Guid WebsiteId, bool Verified)>(new CommandDefinition(
            "DELETE FROM conversions WHERE person_hash = @personHash AND (@siteId::uuid IS NULL OR website_id = @siteId) RETURNING website_id, verified",
            new { personHash, siteId }, transaction, cancellationToken: cancellationToken));
        var rescored = new List<(Guid, double)>();
        foreach (var site in erased.GroupBy(row => row.WebsiteId).OrderBy(group => group.Key))
        {
            var change = new ScoreChange(Leads: -site.Count(row => row.Verified));
            if (await scores.RecordAsync(connection, transaction, site.Key, change, clock.GetUtcNow(), cancellationToken) is { } score)
            {
                rescored.Add((site.Key, score));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return rescored;
    }

    /// <summary>
    /// The site's sharers that share the arrival's session or network: the only ones the fraud signals can match, so a
    /// site with many shares does not ship them all for every arrival.
    /// </summary>
    private static async Task<IEnumerable<Arrival>> SharersLikeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, Arrival arrival, CancellationToken cancellationToken) =>
        await connection.QueryAsync<Arrival>(new CommandDefinition("""
            SELECT DISTINCT session_id AS SessionId, client_network AS ClientNetwork FROM shares
            WHERE website_id = @websiteId AND (session_id = @sessionId OR client_network = @clientNetwork)
            """, new { websiteId, sessionId = arrival.SessionId, clientNetwork = arrival.ClientNetwork }, transaction, cancellationToken: cancellationToken));

#pragma warning disable S2077 // Dynamic SQL checked: the table is one of two constant names; values are parameters.
    private static async Task<int> EarlierFromNetworkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, Guid websiteId, string? network, DateTimeOffset at, CancellationToken cancellationToken) =>
        network is null ? 0 : await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM {table} WHERE website_id = @websiteId AND client_network = @network AND created_at > @since AND created_at <= @at",
            new { websiteId, network, since = at - ReferralFraud.VelocityWindow, at }, transaction, cancellationToken: cancellationToken));
#pragma warning restore S2077

    /// <summary>The code itself when some owner holds it for a site not removed; anything else is not a referral.</summary>
    private static async Task<string?> KnownReferralCodeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? code, CancellationToken cancellationToken) =>
        code is null ? null : await connection.ExecuteScalarAsync<string?>(new CommandDefinition($"""
            SELECT r.code FROM referral_codes r WHERE r.code = @code AND {ReferralStore.OfLiveSite}
            """, new { code }, transaction, cancellationToken: cancellationToken));
}
