using System.Runtime.CompilerServices;
using System.Text.Json;
using FourSite.ServiceDefaults.Database;
using StackExchange.Redis;

namespace FourSite.Generation.Pipeline;

/// <summary>
/// Live job updates over Redis pub/sub: the worker announces each stage, and whoever waits (the generate call, the
/// event stream) hears it at once instead of polling the database. The database stays the record.
/// </summary>
public sealed partial class GenerationProgress(IConnectionMultiplexer redis, ILogger<GenerationProgress> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <remarks>
    /// Sent without waiting for Redis's reply (how many heard it is of no use here): the worker goes on at once, and no
    /// reply wakes a thread. One connection keeps a job's announcements in the order they were made.
    /// </remarks>
    public void Announce(JobUpdate update)
    {
        try
        {
            redis.GetSubscriber().Publish(Channel(update.JobId), JsonSerializer.Serialize(update, Json), CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogAnnounceFailed(logger, update.JobId, exception.Message);
        }
    }

    /// <summary>Starts listening to a job; null when Redis is away (callers then answer from the database).</summary>
    public async Task<Subscription?> ListenAsync(Guid jobId)
    {
        try
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(Channel(jobId));
            return new Subscription(queue);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogAnnounceFailed(logger, jobId, exception.Message);
            return null;
        }
    }

    private static RedisChannel Channel(Guid jobId) => RedisChannel.Literal($"foursite:generation:{jobId:N}");

    /// <summary>The updates of one job, in order, until disposed.</summary>
    public sealed class Subscription(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async IAsyncEnumerable<JobUpdate> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = await queue.ReadAsync(cancellationToken);
                if (JsonSerializer.Deserialize<JobUpdate>(message.Message.ToString(), Json) is { } update)
                {
                    yield return update;
                }
            }
        }

        /// <summary>The next update, or null when none came within <paramref name="wait"/>.</summary>
        public async Task<JobUpdate?> NextAsync(TimeSpan wait, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(wait);
            try
            {
                await foreach (var update in ReadAllAsync(timeout.Token))
                {
                    return update;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            return null;
        }

        public async Task<JobUpdate?> WaitForEndAsync(CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var update in ReadAllAsync(cancellationToken))
                {
                    if (update.IsFinished)
                    {
                        return update;
                    }
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or System.Threading.Channels.ChannelClosedException || exception.IsRedisFailure())
            {
                // Past the bound, or live updates lost: the caller answers 202 and the job goes on.
            }

            return null;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                // Nothing waits on the unsubscription: the caller has its answer.
                await queue.UnsubscribeAsync(CommandFlags.FireAndForget);
            }
            catch (Exception exception) when (exception.IsRedisFailure())
            {
                // The connection is gone, and the subscription with it.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates of job {JobId} unavailable: {Reason}")]
    private static partial void LogAnnounceFailed(ILogger logger, Guid jobId, string reason);
}
