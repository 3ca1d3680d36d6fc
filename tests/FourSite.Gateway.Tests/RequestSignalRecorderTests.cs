using FourSite.Gateway.Signals;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>The gateway's request counting, written to a real Redis: exact counts per counter, minute and slot.</summary>
public sealed class RequestSignalRecorderTests(RedisServer redis) : IClassFixture<RedisServer>
{
    /// <summary>A recorder on a clock of its own; each test's endpoint (a new id) keeps its counts apart.</summary>
    private static (FakeTimeProvider Clock, RequestSignalRecorder Recorder) NewRecorder(IConnectionMultiplexer connection)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2003, 5, 6, 7, 8, 30, TimeSpan.Zero));
        return (clock, new RequestSignalRecorder(connection, clock, NullLogger<RequestSignalRecorder>.Instance));
    }

    [Fact]
    public async Task Each_request_adds_to_its_minute_its_status_class_its_latency_bucket_and_unavailable()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var (clock, recorder) = NewRecorder(connection);
        var endpoint = $"POST test-{Guid.NewGuid():N}";

        recorder.Record(endpoint, "blue", 201, 5);
        recorder.Record(endpoint, "blue", 503, 20);
        recorder.Record(endpoint, "blue", 200, null);
        recorder.Record(endpoint, "green", 404, 5);
        var minute = RequestSignals.UnixMinute(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(1));
        recorder.Record(endpoint, "blue", 200, 5);
        await recorder.FlushAsync();

        var database = connection.GetDatabase();
        async Task<Dictionary<string, long>> CountsAsync(long unixMinute, string slot) =>
            (await database.HashGetAllAsync(RequestSignals.Key(unixMinute)))
                .Where(entry => entry.Name.ToString().StartsWith(RequestSignals.Field(endpoint, slot, ""), StringComparison.Ordinal))
                .ToDictionary(entry => entry.Name.ToString().Split('|')[2], entry => (long)entry.Value);
        var fast = RequestSignals.Bucket(RequestSignals.BucketOf(5));
        var slow = RequestSignals.Bucket(RequestSignals.BucketOf(20));

        Assert.Equal(new Dictionary<string, long>
        {
            [RequestSignals.Requests] = 3, ["2xx"] = 2, ["5xx"] = 1, [RequestSignals.Unavailable] = 1, [fast] = 1, [slow] = 1,
        }, await CountsAsync(minute, "blue"));
        Assert.Equal(new Dictionary<string, long> { [RequestSignals.Requests] = 1, ["4xx"] = 1, [fast] = 1 }, await CountsAsync(minute, "green"));
        Assert.Equal(new Dictionary<string, long> { [RequestSignals.Requests] = 1, ["2xx"] = 1, [fast] = 1 }, await CountsAsync(minute + 1, "blue"));

        // Counts are added once: a second flush with nothing new changes nothing.
        await recorder.FlushAsync();
        Assert.Equal(3, (await CountsAsync(minute, "blue"))[RequestSignals.Requests]);
    }

    [Fact]
    public async Task Counts_made_while_flushing_are_neither_lost_nor_counted_twice()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var (clock, recorder) = NewRecorder(connection);
        var endpoint = $"GET test-{Guid.NewGuid():N}";
        const int Writers = 4, RequestsEach = 5_000;

        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < RequestsEach; i++)
            {
                recorder.Record(endpoint, "blue", 200, 3);
            }
        })).ToArray();
        while (!writers.All(writer => writer.IsCompleted))
        {
            await recorder.FlushAsync();
        }

        await recorder.FlushAsync();
        var field = RequestSignals.Field(endpoint, "blue", RequestSignals.Requests);
        var counted = (long)await connection.GetDatabase().HashGetAsync(RequestSignals.Key(RequestSignals.UnixMinute(clock.GetUtcNow())), field);
        Assert.Equal(Writers * RequestsEach, counted);
    }
}
