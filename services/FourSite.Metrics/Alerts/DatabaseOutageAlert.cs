using FourSite.ServiceDefaults;
using StackExchange.Redis;

namespace FourSite.Metrics.Alerts;

/// <summary>
/// While PostgreSQL cannot be reached no alert round runs (the schedule, the health samples and the alerts live in it),
/// so the outage is told to the <c>database_errors</c> rule's channels directly: raised when a round first fails for
/// it, resolved when a round next reaches the database, and kept in the alert history once it is back. A claim in
/// Redis lets one replica tell it; with Redis away too, each replica tells its own, rather than none.
/// </summary>
public sealed partial class DatabaseOutageAlert(
    AlertRuleSet rules, AlertNotifier notifier, AlertStore alerts, IConnectionMultiplexer redis, TimeProvider clock, ILogger<DatabaseOutageAlert> logger)
{
    private const string ClaimKey = "foursite:alerts:database-outage";
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromDays(1);

    private readonly AlertRule? _rule = rules.Rules.FirstOrDefault(rule => rule.Metric == AlertMetrics.DatabaseErrors);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _outageSince;
    private bool _toldWithoutClaim;

    /// <summary>A round failed because the database could not be reached.</summary>
    public async Task ReportDownAsync(string reason, CancellationToken cancellationToken)
    {
        if (_rule is null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_outageSince is not null)
            {
                return;
            }

            _outageSince = clock.GetUtcNow();
            var claim = await TryAsync(() => redis.GetDatabase().StringSetAsync(ClaimKey, _outageSince.Value.ToString("O"), ClaimLifetime, When.NotExists));
            _toldWithoutClaim = claim is null;
            if (claim is false)
            {
                return; // another replica told it
            }

            LogOutage(logger, reason);
            await notifier.NotifyAsync(_rule, AlertTransitions.Raised, $"PostgreSQL cannot be reached: {reason}", null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A round reached the database.</summary>
    public async Task ReportUpAsync(CancellationToken cancellationToken)
    {
        if (_rule is null || _outageSince is null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_outageSince is not { } since)
            {
                return;
            }

            _outageSince = null;
            // The replica that takes the claim away tells the end; a replica that told without a claim tells its own.
            var released = await TryAsync(() => redis.GetDatabase().KeyDeleteAsync(ClaimKey));
            if (released is not true && !_toldWithoutClaim)
            {
                return;
            }

            var message = $"PostgreSQL could not be reached from {since:u} to {clock.GetUtcNow():u}";
            try
            {
                await alerts.RecordPastAsync(_rule, message, since, cancellationToken);
            }
            catch (Exception exception) when (exception.IsDatabaseUnavailable())
            {
                // Gone again already: the history misses this outage, the channels still hear of its end.
            }

            await notifier.NotifyAsync(_rule, AlertTransitions.Resolved, message, null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <returns>Redis's answer, or null when Redis is away.</returns>
    private static async Task<bool?> TryAsync(Func<Task<bool>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "PostgreSQL cannot be reached; alert rounds stop until it is back: {Reason}")]
    private static partial void LogOutage(ILogger logger, string reason);
}
