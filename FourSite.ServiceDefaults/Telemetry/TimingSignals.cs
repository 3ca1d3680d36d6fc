using FourSite.ServiceDefaults.Database;
using StackExchange.Redis;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// How a service reports how long an operation took, for Metrics' rules to judge across every replica: per-minute Redis
/// hashes (<c>foursite:timing:{operation}:{unix minute}</c>) of a count and a total in milliseconds, kept two days.
/// The hot path never waits on Redis: the writes are fire-and-forget, and lost ones only thin the sample.
/// </summary>
public sealed class TimingSignals(IConnectionMultiplexer redis, TimeProvider clock)
{
    /// <summary>Viral's recalculation of a site's score on a share, visit or lead (the launch plan's "viral score calculation").</summary>
    public const string ViralScoreCalculation = "viral-score";

    public const string Count = "n";
    public const string TotalMs = "ms";

    public static string Key(string operation, long unixMinute) => $"foursite:timing:{operation}:{unixMinute}";

    public void Record(string operation, double milliseconds)
    {
        try
        {
            var key = Key(operation, RequestSignals.UnixMinute(clock.GetUtcNow()));
            var database = redis.GetDatabase();
            database.HashIncrement(key, Count, 1, CommandFlags.FireAndForget);
            database.HashIncrement(key, TotalMs, milliseconds, CommandFlags.FireAndForget);
            database.KeyExpire(key, RequestSignals.Retention, CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            // Redis away: this sample is lost, the operation is not.
        }
    }

    /// <summary>How many operations ran over the last <paramref name="window"/> (whole minutes, this one included), and their average time.</summary>
    public async Task<(long Count, double? AverageMs)> ReadAsync(string operation, TimeSpan window)
    {
        var now = RequestSignals.UnixMinute(clock.GetUtcNow());
        var minutes = Math.Max(1, (int)Math.Ceiling(window.TotalMinutes));
        var database = redis.GetDatabase();
        var hashes = await Task.WhenAll(Enumerable.Range(0, minutes).Select(back => database.HashGetAsync(Key(operation, now - back), [Count, TotalMs])));
        var count = hashes.Sum(values => values[0].TryParse(out long n) ? n : 0);
        var total = hashes.Sum(values => values[1].TryParse(out double ms) ? ms : 0);
        return (count, count == 0 ? null : total / count);
    }
}
