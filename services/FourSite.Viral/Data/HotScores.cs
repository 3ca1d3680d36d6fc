using StackExchange.Redis;
using FourSite.ServiceDefaults;

namespace FourSite.Viral.Data;

/// <summary>
/// The hot copy of every site's score, a Redis sorted set (PostgreSQL keeps the record). Redis being away never
/// fails the event that changed the score.
/// </summary>
public sealed partial class HotScores(IConnectionMultiplexer redis, ILogger<HotScores> logger)
{
    public const string Key = "foursite:viral:scores";

    public async Task SetAsync(Guid websiteId, double score)
    {
        try
        {
            await redis.GetDatabase().SortedSetAddAsync(Key, websiteId.ToString(), score);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogSkipped(logger, exception.Message);
        }
    }

    public async Task RemoveAsync(Guid websiteId)
    {
        try
        {
            await redis.GetDatabase().SortedSetRemoveAsync(Key, websiteId.ToString());
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogSkipped(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hot viral score not updated: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
