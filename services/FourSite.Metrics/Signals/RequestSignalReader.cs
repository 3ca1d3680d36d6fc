using FourSite.ServiceDefaults.Telemetry;
using StackExchange.Redis;

namespace FourSite.Metrics.Signals;

/// <summary>A window of gateway traffic: per endpoint, per deployment slot, and in total.</summary>
public sealed record WindowTraffic(TimeSpan Window, IReadOnlyDictionary<string, TrafficCounts> ByEndpoint, IReadOnlyDictionary<string, TrafficCounts> BySlot, TrafficCounts Total);

/// <summary>Reads the per-minute counts the gateway writes (see <see cref="RequestSignals"/>) back for a window.</summary>
public sealed class RequestSignalReader(IConnectionMultiplexer redis, TimeProvider clock)
{
    public async Task<WindowTraffic> ReadAsync(TimeSpan window)
    {
        var now = RequestSignals.UnixMinute(clock.GetUtcNow());
        var minutes = Math.Max(1, (int)Math.Ceiling(window.TotalMinutes));
        var database = redis.GetDatabase();
        var hashes = await Task.WhenAll(Enumerable.Range(0, minutes).Select(back => database.HashGetAllAsync(RequestSignals.Key(now - back))));

        var byEndpoint = new Dictionary<string, TrafficCounts>();
        var bySlot = new Dictionary<string, TrafficCounts>();
        foreach (var entry in hashes.SelectMany(hash => hash))
        {
            var parts = entry.Name.ToString().Split('|');
            if (parts.Length != 3 || !entry.Value.TryParse(out long count))
            {
                continue;
            }

            Counts(byEndpoint, parts[0]).Add(parts[2], count);
            Counts(bySlot, parts[1]).Add(parts[2], count);
        }

        var total = new TrafficCounts();
        foreach (var counts in byEndpoint.Values)
        {
            total.Add(counts);
        }

        return new WindowTraffic(TimeSpan.FromMinutes(minutes), byEndpoint, bySlot, total);
    }

    /// <summary>Everything the gateway counted in one minute, all endpoints and slots together.</summary>
    public async Task<TrafficCounts> ReadMinuteAsync(long unixMinute)
    {
        var total = new TrafficCounts();
        foreach (var entry in await redis.GetDatabase().HashGetAllAsync(RequestSignals.Key(unixMinute)))
        {
            var parts = entry.Name.ToString().Split('|');
            if (parts.Length == 3 && entry.Value.TryParse(out long count))
            {
                total.Add(parts[2], count);
            }
        }

        return total;
    }

    private static TrafficCounts Counts(Dictionary<string, TrafficCounts> all, string key) =>
        all.TryGetValue(key, out var counts) ? counts : all[key] = new TrafficCounts();
}
