using FourSite.Ops.Releases;
using Xunit;
using k8s;

namespace FourSite.Deploy.Tests;

/// <summary>The deploy and rollback commands against a cluster on loopback (the Kubernetes API, the gateway's slots, Metrics' decision).</summary>
public sealed class BlueGreenReleaseTests : IAsyncLifetime
{
    private static readonly ReleaseSettings Quick = new(ReadyTimeout: TimeSpan.FromSeconds(3), WatchWindow: TimeSpan.FromMilliseconds(300),
        WatchInterval: TimeSpan.FromMilliseconds(100), ScaleDownDelay: TimeSpan.Zero);

    private KubernetesFake _cluster = null!;
    private HttpClient _gateway = null!;
    private readonly StringWriter _log = new();
    private int _smokeRuns;

    public async Task InitializeAsync()
    {
        _cluster = await KubernetesFake.StartAsync();
        _gateway = new HttpClient { BaseAddress = _cluster.Url };
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_release_moves_every_service_to_the_idle_slot_with_the_new_image_then_scales_the_old_slot_down()
    {
        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.True(released, _log.ToString());
        foreach (var service in Slots.Services)
        {
            Assert.Equal(Slots.Green, _cluster.LiveSlotOf(service));
            Assert.Equal($"registry.4site.pro:5000/foursite/{service}:1.1.0", _cluster.ImageOf($"{service}-green"));
            Assert.Equal(3, _cluster.ReplicasOf($"{service}-green"));
            Assert.Equal($"registry.4site.pro:5000/foursite/{service}:1.0.0", _cluster.ImageOf($"{service}-blue"));
            Assert.Equal(0, _cluster.ReplicasOf($"{service}-blue"));
        }

        Assert.Null(_cluster.PausedOf("generation-green"));
        Assert.Equal("true", _cluster.PausedOf("generation-blue"));
        Assert.Equal(1, _smokeRuns);
    }

    [Fact]
    public async Task A_rollback_decision_in_the_watch_window_switches_traffic_straight_back_and_keeps_the_old_slot()
    {
        _cluster.Decisions[Slots.Green] = "rollback";

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.Contains("deployment health of green decided rollback", _log.ToString(), StringComparison.Ordinal);
        foreach (var service in Slots.Services)
        {
            Assert.Equal([$"{service}→green", $"{service}→blue"], _cluster.Switches.Where(change => change.StartsWith(service, StringComparison.Ordinal)));
            Assert.Equal(3, _cluster.ReplicasOf($"{service}-blue"));
        }
    }

    [Fact]
    public async Task Failed_smoke_checks_after_the_switch_switch_back()
    {
        var released = await Release(smokePasses: false).DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.All(Slots.Services, service => Assert.Equal(Slots.Blue, _cluster.LiveSlotOf(service)));
        Assert.Equal(8, _cluster.Switches.Count);
    }

    [Fact]
    public async Task A_slot_that_never_becomes_ready_gets_no_traffic()
    {
        _cluster.NeverReady.Add("leads-green");

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.Empty(_cluster.Switches);
        Assert.Contains("not ready after", _log.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _smokeRuns);
    }

    [Fact]
    public async Task A_slot_that_does_not_answer_health_gets_no_traffic()
    {
        _cluster.Unhealthy.Add("viral-green");

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.Empty(_cluster.Switches);
        Assert.Contains("viral-green does not answer /health", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollback_after_a_release_scales_the_previous_slot_up_again_and_sends_traffic_back_to_it()
    {
        Assert.True(await Release().DeployAsync("1.1.0", CancellationToken.None), _log.ToString());

        var rolledBack = await Release().RollbackAsync(CancellationToken.None);

        Assert.True(rolledBack, _log.ToString());
        foreach (var service in Slots.Services)
        {
            Assert.Equal(Slots.Blue, _cluster.LiveSlotOf(service));
            Assert.Equal(3, _cluster.ReplicasOf($"{service}-blue"));
            Assert.Equal($"registry.4site.pro:5000/foursite/{service}:1.0.0", _cluster.ImageOf($"{service}-blue"));
        }

        Assert.Null(_cluster.PausedOf("generation-blue"));
    }

    [Theory]
    [InlineData("registry.4site.pro/foursite/leads:1.0.0", "registry.4site.pro/foursite/leads:2.0.0")]
    [InlineData("registry.4site.pro:5000/foursite/leads:1.0.0", "registry.4site.pro:5000/foursite/leads:2.0.0")]
    [InlineData("registry.4site.pro:5000/foursite/leads", "registry.4site.pro:5000/foursite/leads:2.0.0")]
    [InlineData("foursite/leads:1.0.0@sha256:0123abcd", "foursite/leads:2.0.0")]
    public void A_release_changes_only_the_tag_of_an_image(string image, string released) =>
        Assert.Equal(released, BlueGreenRelease.WithTag(image, "2.0.0"));

    private BlueGreenRelease Release(bool smokePasses = true)
    {
        var kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = _cluster.Url.ToString() });
        return new BlueGreenRelease(new ClusterSlots(kubernetes, KubernetesFake.Namespace), new PlatformSlots(_gateway), _ =>
        {
            Interlocked.Increment(ref _smokeRuns);
            return Task.FromResult(smokePasses);
        }, Quick, _log);
    }
}
