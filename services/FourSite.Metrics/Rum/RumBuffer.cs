using System.Text.Json;
using StackExchange.Redis;

namespace FourSite.Metrics.Rum;

/// <summary>
/// Accepted beacons wait in a Redis list until <see cref="RumWriter"/> stores them in batches: the request path makes
/// one Redis round trip and never a database insert, and a beacon that was accepted survives a restart of the service.
/// </summary>
public sealed class RumBuffer(IConnectionMultiplexer redis, ActiveUsers activeUsers)
{
    public const string Key = "foursite:metrics:rum-buffer";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(AcceptedBeacon beacon)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task> { batch.ListRightPushAsync(Key, JsonSerializer.Serialize(beacon, Json)) };
        if (beacon.SessionId is not null)
        {
            writes.Add(activeUsers.SeenAsync(batch, beacon.SessionId));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    /// <summary>Takes up to <paramref name="count"/> beacons off the front of the buffer.</summary>
    public async Task<IReadOnlyList<AcceptedBeacon>> TakeAsync(int count)
    {
        var values = await redis.GetDatabase().ListLeftPopAsync(Key, count) ?? [];
        return values.Select(value => JsonSerializer.Deserialize<AcceptedBeacon>((string)value!, Json)!).ToList();
    }

    /// <summary>Puts beacons that could not be stored back at the front, in their order.</summary>
    public async Task ReturnAsync(IReadOnlyList<AcceptedBeacon> beacons)
    {
        var values = beacons.Reverse().Select(beacon => (RedisValue)JsonSerializer.Serialize(beacon, Json)).ToArray();
        await redis.GetDatabase().ListLeftPushAsync(Key, values);
    }

    public async Task<long> LengthAsync() => await redis.GetDatabase().ListLengthAsync(Key);
}
