using FourSite.ServiceDefaults.Signals;
using StackExchange.Redis;
using FourSite.ServiceDefaults;

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

    // Counting and swapping share a lock, so no count lands in a dictionary that a flush has already taken.
    private readonly Lock _gate = new();
    private Dictionary<(long Minute, string Field), long> _pending = [];

    /// <summary>Counts one answered request of an endpoint (method and route) on a slot; without a duration, latency is not counted.</summary>
    public void Record(string endpoint, string slot, int status, double? milliseconds)
    {
        var minute = RequestSignals.UnixMinute(clock.GetUtcNow());
        Add(minute, RequestSignals.Field(endpoint, slot, RequestSignals.Requests));
        Add(minute, RequestSignals.Field(endpoint, slot, RequestSignals.StatusClass(status)));
        if (milliseconds is { } duration)
        {
            Add(minute, RequestSignals.Field(endpoint, slot, RequestSignals.Bucket(RequestSignals.BucketOf(duration))));
        }

        if (RequestSignals.IsUnavailable(status))
        {
            Add(minute, RequestSignals.Field(endpoint, slot, RequestSignals.Unavailable));
        }
    }

    private void Add(long minute, string field)
    {
        lock (_gate)
        {
            _pending[(minute, field)] = _pending.GetValueOrDefault((minute, field)) + 1;
        }
    }

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
        Dictionary<(long Minute, string Field), long> counts;
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
                writes.AddRange(minute.Select(entry => batch.HashIncrementAsync(key, entry.Key.Field, entry.Value)));
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
}
