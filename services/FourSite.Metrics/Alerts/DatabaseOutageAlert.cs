using FourSite.ServiceDefaults.Database;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FourSite.Metrics.Alerts;

/// <summary>
/// While PostgreSQL cannot be reached no alert round runs (the schedule, the health samples and the alerts live in it),
/// so the outage is told to the <c>database_errors</c> rule's channels directly: raised when a round first fails for
/// it, resolved when a round next reaches the database, and kept in the alert history once it is back.
/// One replica tells it: the one holding a short claim in Redis, renewed by each of its failing rounds, so another
/// replica takes over only if that one dies. With Redis away too, each replica tells its own, rather than none.
/// </summary>
public sealed partial class DatabaseOutageAlert(
    AlertRuleSet rules,
    AlertNotifier notifier,
    AlertStore alerts,
    IConnectionMultiplexer redis,
    IOptions<MetricsOptions> options,
    TimeProvider clock,
    ILogger<DatabaseOutageAlert> logger)
{
    private const string ClaimKey = "foursite:alerts:database-outage";

    private readonly AlertRule? _rule = rules.Rules.FirstOrDefault(rule => rule.Metric == AlertMetrics.DatabaseErrors);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _outageSince;
    private string _claim = "";
    private bool _told;

    // A few rounds: long enough to outlast a slow round, short enough that a dead replica's claim soon lapses.
    private TimeSpan ClaimLifetime => options.Value.EvaluationInterval * 3;

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
            if (_outageSince is null)
            {
                _outageSince = clock.GetUtcNow();
                _claim = Guid.NewGuid().ToString("N");
            }

            if (_told)
            {
                await TryRedisAsync(() => redis.GetDatabase().LockExtendAsync(ClaimKey, _claim, ClaimLifetime));
                return;
            }

            if (await TryRedisAsync(() => redis.GetDatabase().LockTakeAsync(ClaimKey, _claim, ClaimLifetime)) is false)
            {
                return; // another replica tells it
            }

            _told = true;
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
        if (_rule is null)
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

            var told = _told;
            (_outageSince, _told) = (null, false);
            if (!told)
            {
                return;
            }

            var message = $"PostgreSQL could not be reached from {since:u} to {clock.GetUtcNow():u}";
            await notifier.NotifyAsync(_rule, AlertTransitions.Resolved, message, null, cancellationToken);
            await TryRedisAsync(() => redis.GetDatabase().LockReleaseAsync(ClaimKey, _claim));
            try
            {
                await alerts.RecordPastAsync(_rule, message, since, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The channels heard of it; only the history misses this outage.
                LogNotRecorded(logger, exception.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <returns>Redis's answer, or null when Redis is away.</returns>
    private static async Task<bool?> TryRedisAsync(Func<Task<bool>> call)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A database outage was not kept in the alert history: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);
}
