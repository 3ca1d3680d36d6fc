using StackExchange.Redis;

namespace FourSite.Metrics.Rum;

/// <summary>Who was active lately: a Redis sorted set of session ids scored by when they were last seen.</summary>
public sealed class ActiveUsers(IConnectionMultiplexer redis, TimeProvider clock)
{
    public const string Key = "foursite:metrics:active-sessions";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public Task SeenAsync(IBatch batch, string sessionId) =>
        batch.SortedSetAddAsync(Key, sessionId, clock.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>Marks sessions seen now, in one command; none is no command (Redis refuses an empty <c>ZADD</c>).</summary>
    public async Task SeenAsync(IEnumerable<string> sessionIds)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        SortedSetEntry[] entries = [.. sessionIds.Distinct().Select(sessionId => new SortedSetEntry(sessionId, now))];
        if (entries.Length > 0)
        {
            await redis.GetDatabase().SortedSetAddAsync(Key, entries);
        }
    }

    public async Task<long> CountAsync()
    {
        var since = clock.GetUtcNow().Subtract(Window).ToUnixTimeSeconds();
        return await redis.GetDatabase().SortedSetLengthAsync(Key, since, double.PositiveInfinity);
    }

    private static readonly TimeSpan TrimInterval = TimeSpan.FromMinutes(1);
    private long _nextTrimTicks;

    /// <summary>
    /// Forgets sessions older than the window, so the set stays small; at most once a minute (counting never needs it:
    /// it reads only the window).
    /// </summary>
    public async Task TrimAsync()
    {
        var now = clock.GetUtcNow();
        if (now.UtcTicks < Interlocked.Read(ref _nextTrimTicks))
        {
            return;
        }

        Interlocked.Exchange(ref _nextTrimTicks, (now + TrimInterval).UtcTicks);
        await redis.GetDatabase().SortedSetRemoveRangeByScoreAsync(Key, double.NegativeInfinity, now.Subtract(Window).ToUnixTimeSeconds());
    }
}
