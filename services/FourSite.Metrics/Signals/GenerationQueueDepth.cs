using FourSite.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace FourSite.Metrics.Signals;

/// <summary>How many generation requests wait in RabbitMQ, read from the broker itself (a passive queue declare).</summary>
public sealed partial class GenerationQueueDepth(IConnection connection, ILogger<GenerationQueueDepth> logger)
{
    /// <summary>The Generation service's work queue.</summary>
    public const string Queue = "generation-generate-site";

    /// <summary>The messages ready in the queue, or null when the broker cannot tell (down, or the queue not made yet).</summary>
    public async Task<long?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = await channel.QueueDeclarePassiveAsync(Queue, cancellationToken);
            return queue.MessageCount;
        }
        catch (Exception exception) when (exception.IsBrokerFailure())
        {
            LogUnread(logger, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation queue depth not read: {Reason}")]
    private static partial void LogUnread(ILogger logger, string reason);
}
