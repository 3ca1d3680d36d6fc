using FourSite.ServiceDefaults.Database;
using StackExchange.Redis;

namespace FourSite.Viral.Scores;

/// <summary>
/// The hot copy of every site's score, a Redis sorted set (PostgreSQL keeps the record), written when a site's counts
/// are folded into its record (and when a lead's conversion is counted or erased). Redis being away never
/// fails the event that changed the score. A removed site is remembered beside the set, and both changes run as one
/// script, so a score computed before the removal but written after it cannot put the site back.
/// </summary>
public sealed partial class HotScores(IConnectionMultiplexer redis, ILogger<HotScores> logger)
{
    // One hash tag, so both keys live on the same node of a cluster, as a script needs.
    public const string Key = "{foursite:viral}:scores";
    public const string RemovedKey = "{foursite:viral}:removed";

    private const string SetUnlessRemovedScript = """
        if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
        """;

    private const string RemoveForGoodScript = """
        redis.call('SADD', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        """;

    private static readonly RedisKey[] Keys = [Key, RemovedKey];

    public Task SetAsync(Guid websiteId, double score) => RunAsync(SetUnlessRemovedScript, websiteId.ToString(), score);

    /// <summary>Takes a removed site out for good.</summary>
    public Task RemoveForGoodAsync(Guid websiteId) => RunAsync(RemoveForGoodScript, websiteId.ToString());

    private async Task RunAsync(string script, params RedisValue[] values)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(script, Keys, values);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogSkipped(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hot viral score not updated: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
