using FourSite.Generation.Pipeline;
using FourSite.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>Live job updates between two replicas, each with its own connection to a real Redis.</summary>
public sealed class GenerationProgressTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_listener_of_a_job_hears_its_updates_in_order_and_none_of_another_jobs()
    {
        await using var listening = await ConnectAsync();
        await using var working = await ConnectAsync();
        var listener = Progress(listening);
        var worker = Progress(working);
        var job = Guid.CreateVersion7();
        var otherJob = Guid.CreateVersion7();

        await using var first = await listener.ListenAsync(job);
        await using var second = await listener.ListenAsync(job);
        await using var other = await listener.ListenAsync(otherJob);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotNull(other);

        worker.Announce(Update(job, JobStatus.FetchingRepo));
        worker.Announce(Update(Guid.CreateVersion7(), JobStatus.FetchingRepo));
        worker.Announce(Update(job, JobStatus.Rendering));
        worker.Announce(new JobUpdate(otherJob, JobStatus.Failed, JobStatus.Failed, 100, Error: "gone"));
        worker.Announce(new JobUpdate(job, JobStatus.Completed, JobStatus.Completed, 100, Guid.CreateVersion7()));

        foreach (var subscription in new[] { first, second })
        {
            var heard = await HeardAsync(subscription, 3);
            Assert.All(heard, update => Assert.Equal(job, update.JobId));
            Assert.Equal([JobStatus.FetchingRepo, JobStatus.Rendering, JobStatus.Completed], heard.Select(update => update.Stage));
        }

        using var bound = new CancellationTokenSource(Bound);
        var end = await other.WaitForEndAsync(bound.Token);
        Assert.NotNull(end);
        Assert.Equal(otherJob, end.JobId);
        Assert.Equal("gone", end.Error);
    }

    [Fact]
    public async Task A_listener_that_stops_leaves_the_others_of_its_job_listening()
    {
        await using var connection = await ConnectAsync();
        var progress = Progress(connection);
        var job = Guid.CreateVersion7();

        var leaving = await progress.ListenAsync(job);
        await using var staying = await progress.ListenAsync(job);
        Assert.NotNull(leaving);
        Assert.NotNull(staying);
        await leaving.DisposeAsync();

        progress.Announce(new JobUpdate(job, JobStatus.Completed, JobStatus.Completed, 100, Guid.CreateVersion7()));

        using var bound = new CancellationTokenSource(Bound);
        var end = await staying.WaitForEndAsync(bound.Token);
        Assert.Equal(JobStatus.Completed, end?.Status);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await leaving.ReadAllAsync(CancellationToken.None).FirstAsync());
    }

    [Fact]
    public async Task Without_Redis_nobody_listens_and_announcing_does_not_fail()
    {
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=500,asyncTimeout=500");
        var progress = Progress(unreachable);
        var job = Guid.CreateVersion7();

        Assert.Null(await progress.ListenAsync(job));
        progress.Announce(Update(job, JobStatus.FetchingRepo));
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);

    private static GenerationProgress Progress(IConnectionMultiplexer redis) => new(redis, NullLogger<GenerationProgress>.Instance);

    private static JobUpdate Update(Guid job, string stage) => new(job, JobStatus.Running, stage, JobStatus.ProgressOf(stage));

    private static async Task<List<JobUpdate>> HeardAsync(GenerationProgress.Subscription subscription, int count)
    {
        using var bound = new CancellationTokenSource(Bound);
        var heard = new List<JobUpdate>();
        await foreach (var update in subscription.ReadAllAsync(bound.Token))
        {
            heard.Add(update);
            if (heard.Count == count)
            {
                break;
            }
        }

        return heard;
    }
}
