using StackExchange.Redis;

namespace FourSite.ServiceDefaults.Database;

/// <summary>
/// Redis being away, as StackExchange.Redis reports it: a <see cref="RedisException"/>, or a
/// <see cref="RedisTimeoutException"/>, which derives from <see cref="TimeoutException"/> instead. Every place that
/// carries on without Redis catches both.
/// </summary>
public static class RedisFailures
{
    public static bool IsRedisFailure(this Exception exception) => exception is RedisException or RedisTimeoutException;
}
