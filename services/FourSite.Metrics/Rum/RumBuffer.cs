using System.Text.Json;
using StackExchange.Redis;

namespace FourSite.Metrics.Rum;

/// <summary>
/// Accepted beacons wait in a Redis stream until <see cref="RumWriter"/> stores them: the request path makes one Redis
/// round trip and never a database insert. Writers read through a consumer group, so an entry stays pending, and is read
/// again, until its writer acknowledges it after PostgreSQL has it: a read whose answer was lost (Redis paused, a
/// timeout, a writer killed mid-batch) leaves its entries pending instead of losing them.
/// </summary>
public sealed class RumBuffer(IConnectionMultiplexer redis, ActiveUsers activeUsers)
{
    public const string Key = "foursite:metrics:rum-stream";
    public const string Group = "rum-writers";
    private const string Field = "beacon";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>This process's name in the group: its pending entries are its own to finish, or another's to claim once it is gone.</summary>
    public string Consumer { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public async Task AddAsync(AcceptedBeacon beacon)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task> { batch.StreamAddAsync(Key, Field, JsonSerializer.Serialize(beacon, Json)) };
        if (beacon.SessionId is not null)
        {
            writes.Add(activeUsers.SeenAsync(batch, beacon.SessionId));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    /// <summary>
    /// Up to <paramref name="count"/> entries for this consumer, oldest first: those it read before but never
    /// acknowledged, then those another consumer left idle for <paramref name="claimAfter"/>, then new ones.
    /// </summary>
    public async Task<IReadOnlyList<BufferedBeacon>> ReadAsync(int count, TimeSpan claimAfter)
    {
        var database = redis.GetDatabase();
        var entries = await WithGroupAsync(() => database.StreamReadGroupAsync(Key, Group, Consumer, "0", count));
        if (entries.Length == 0)
        {
            var claimed = await WithGroupAsync(() => database.StreamAutoClaimAsync(Key, Group, Consumer, (long)claimAfter.TotalMilliseconds, "0-0", count));
            entries = claimed.ClaimedEntries;
        }

        if (entries.Length == 0)
        {
            entries = await WithGroupAsync(() => database.StreamReadGroupAsync(Key, Group, Consumer, StreamPosition.NewMessages, count));
        }

        return entries.Select(Parse).ToList();
    }

    /// <summary>Acknowledges stored entries and drops them from the stream, in one step.</summary>
    public async Task AcknowledgeAsync(IReadOnlyList<BufferedBeacon> entries)
    {
        var ids = entries.Select(entry => entry.EntryId).ToArray();
        var transaction = redis.GetDatabase().CreateTransaction();
        var acknowledged = transaction.StreamAcknowledgeAsync(Key, Group, ids);
        var deleted = transaction.StreamDeleteAsync(Key, ids);
        await transaction.ExecuteAsync();
        await Task.WhenAll(acknowledged, deleted);
    }

    /// <summary>
    /// Forgets consumers of stopped processes once another has claimed what they left (they hold nothing) and they have
    /// been idle for <paramref name="idle"/>, so the group does not grow with every restart.
    /// </summary>
    public async Task ForgetIdleConsumersAsync(TimeSpan idle)
    {
        var database = redis.GetDatabase();
        var consumers = await WithGroupAsync(() => database.StreamConsumerInfoAsync(Key, Group));
        foreach (var consumer in consumers.Where(consumer => consumer.PendingMessageCount == 0 && consumer.IdleTimeInMilliseconds > idle.TotalMilliseconds && consumer.Name != Consumer))
        {
            await database.StreamDeleteConsumerAsync(Key, Group, consumer.Name);
        }
    }

    /// <summary>Runs a group command, creating the group (and the stream) first when Redis has neither, e.g. a new or emptied server.</summary>
    private async Task<T> WithGroupAsync<T>(Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("NOGROUP", StringComparison.Ordinal) || exception.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                await redis.GetDatabase().StreamCreateConsumerGroupAsync(Key, Group, "0", createStream: true);
            }
            catch (RedisServerException busy) when (busy.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                // Another writer created it first.
            }

            return await command();
        }
    }

    /// <summary>An entry that cannot be read as a beacon is still returned, to be acknowledged and set aside rather than read forever.</summary>
    private static BufferedBeacon Parse(StreamEntry entry)
    {
        try
        {
            return new BufferedBeacon(entry.Id, JsonSerializer.Deserialize<AcceptedBeacon>((string)entry[Field]!, Json));
        }
        catch (Exception exception) when (exception is JsonException or ArgumentNullException)
        {
            return new BufferedBeacon(entry.Id, null);
        }
    }
}

/// <summary>A stream entry and the beacon it holds (none when it could not be read).</summary>
public sealed record BufferedBeacon(RedisValue EntryId, AcceptedBeacon? Beacon);
