using System.Runtime.InteropServices;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Telemetry;
using StackExchange.Redis;

namespace FourSite.Gateway.Signals;

/// <summary>
/// Counts every request per route and slot in memory and adds the counts to the per-minute Redis hashes of
/// <see cref="RequestSignals"/> every two seconds, so Metrics can compute golden signals across gateway replicas. The
/// request path only touches memory; counts that cannot be written while Redis is away are dropped (they are
/// telemetry, and the OpenTelemetry metrics still carry them).
/// </summary>
public sealed partial class RequestSignalRecorder(IConnectionMultiplexer redis, TimeProvider clock, ILogger<RequestSignalRecorder> logger) : BackgroundService
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    // The counters' names, made once: counting a request allocates nothing; the hash fields are built at flush.
    private static readonly string[] StatusClasses = [.. Enumerable.Range(0, 6).Select(hundreds => RequestSignals.StatusClass(hundreds * 100))];
    private static readonly string[] Buckets = [.. Enumerable.Range(0, RequestSignals.BucketBounds.Length).Select(RequestSignals.Bucket)];

    // Counting and swapping share a lock, so no count lands in a dictionary that a flush has already taken.
    private readonly Lock _gate = new();
    private Dictionary<Count, long> _pending = [];

    /// <summary>Counts one answered request of an endpoint (method and route) on a slot; without a duration, latency is not counted.</summary>
    public void Record(string endpoint, string slot, int status, double? milliseconds)
    {
        var minute = RequestSignals.UnixMinute(clock.GetUtcNow());
        var statusClass = status is >= 0 and < 600 ? StatusClasses[status / 100] : RequestSignals.StatusClass(status);
        var bucket = milliseconds is { } duration ? Buckets[RequestSignals.BucketOf(duration)] : null;
        lock (_gate)
        {
            Add(new Count(minute, endpoint, slot, RequestSignals.Requests));
            Add(new Count(minute, endpoint, slot, statusClass));
            if (bucket is not null)
            {
                Add(new Count(minute, endpoint, slot, bucket));
            }

            if (RequestSignals.IsUnavailable(status))
            {
                Add(new Count(minute, endpoint, slot, RequestSignals.Unavailable));
            }

            if (status == StatusCodes.Status429TooManyRequests)
            {
                Add(new Count(minute, endpoint, slot, RequestSignals.Throttled));
            }
        }
    }

    private void Add(Count count) => CollectionsMarshal.GetValueRefOrAddDefault(_pending, count, out _)++;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync();
        }
    }

    /// <summary>Writes what has been counted since the last flush.</summary>
    public async Task FlushAsync()
    {
        Dictionary<Count, long> counts;
        lock (_gate)
        {
            counts = _pending;
            _pending = [];
        }

        if (counts.Count == 0)
        {
            return;
        }

        try
        {
            var batch = redis.GetDatabase().CreateBatch();
            var writes = new List<Task>();
            foreach (var minute in counts.GroupBy(entry => entry.Key.Minute))
            {
                var key = RequestSignals.Key(minute.Key);
                writes.AddRange(minute.Select(entry =>
                    batch.HashIncrementAsync(key, RequestSignals.Field(entry.Key.Endpoint, entry.Key.Slot, entry.Key.Counter), entry.Value)));
                writes.Add(batch.KeyExpireAsync(key, RequestSignals.Retention));
            }

            batch.Execute();
            await Task.WhenAll(writes);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogDropped(logger, counts.Count, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} request signal counts dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string reason);

    /// <summary>One counter of an endpoint on a slot in a minute.</summary>
    private readonly record struct Count(long Minute, string Endpoint, string Slot, string Counter);
}
