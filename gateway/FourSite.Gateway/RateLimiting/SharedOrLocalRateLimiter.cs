using System.Threading.RateLimiting;
using FourSite.ServiceDefaults.Database;

namespace FourSite.Gateway.RateLimiting;

/// <summary>
/// A client's limit kept in Redis, so every gateway replica counts against the same bucket; while Redis cannot be
/// reached, a bucket in this replica stands in, so the gateway keeps serving (and keeps limiting).
/// </summary>
public sealed partial class SharedOrLocalRateLimiter(RateLimiter shared, RateLimiter local, ILogger logger) : RateLimiter
{
    public override TimeSpan? IdleDuration => shared.IdleDuration is { } sharedIdle && local.IdleDuration is { } localIdle
        ? TimeSpan.FromTicks(Math.Min(sharedIdle.Ticks, localIdle.Ticks))
        : null;

    public override RateLimiterStatistics? GetStatistics() => shared.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        try
        {
            return shared.AttemptAcquire(permitCount);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogFallback(logger, exception.Message);
            return local.AttemptAcquire(permitCount);
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        try
        {
            return await shared.AcquireAsync(permitCount, cancellationToken);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogFallback(logger, exception.Message);
            return await local.AcquireAsync(permitCount, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared rate limit unavailable, limiting locally: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);
}
