using System.Text.Json.Nodes;
using FourSite.Ops.Releases;
using FourSite.Testing;
using Xunit;
using k8s;

namespace FourSite.Deploy.Tests;

/// <summary>
/// The deploy, rollback and apply commands against a cluster on loopback (the Kubernetes API, the gateway's slots,
/// Metrics' decision and release history): a release fails safe at every step, and is recorded.
/// </summary>
public sealed class BlueGreenReleaseTests : IAsyncLifetime
{
    private static readonly ReleaseSettings Quick = new(ReadyTimeout: TimeSpan.FromSeconds(3), WatchWindow: TimeSpan.FromMilliseconds(300),
        WatchInterval: TimeSpan.FromMilliseconds(100), ScaleDownDelay: TimeSpan.Zero);

    private readonly string _rollbackLog = Path.Combine(Path.GetTempPath(), $"rollback-log-{Guid.NewGuid():N}.json");
    private readonly StringWriter _log = new();
    private readonly List<(string? Slot, int SwitchesBefore)> _smokeRuns = [];
    private KubernetesFake _cluster = null!;
    private HttpClient _gateway = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubernetesFake.StartAsync();
        _gateway = new HttpClient { BaseAddress = _cluster.Url };
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        await _cluster.DisposeAsync();
        File.Delete(_rollbackLog);
    }

    [Fact]
    public async Task A_release_checks_the_idle_slot_before_any_switch_then_moves_every_service_and_the_gateway_and_scales_the_old_slot_down()
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

        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.1.0", _cluster.ImageOf("gateway"));
        Assert.Null(_cluster.PausedOf("generation-green"));
        Assert.Equal("true", _cluster.PausedOf("generation-blue"));
        Assert.Equal([(Slots.Green, 0), (null, 4)], _smokeRuns);
        var record = Assert.Single(_cluster.Records);
        Assert.Equal(("release", "released", "blue", "green", "1.0.0", "1.1.0"), Summary(record));
        Assert.Equal("ci-runner", record["by"]!.GetValue<string>());
        Assert.All(record["decisions"]!.AsArray(), decision => Assert.Equal("healthy", decision!["decision"]!.GetValue<string>()));
        Assert.False(File.Exists(_rollbackLog));
    }

    [Fact]
    public async Task Failed_smoke_checks_on_the_idle_slot_mean_no_switch_ever_happens()
    {
        var released = await Release(smokePasses: slot => slot is null).DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.Empty(_cluster.Switches);
        Assert.Equal([(Slots.Green, 0)], _smokeRuns);
        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.0.0", _cluster.ImageOf("gateway"));
        // The unchecked slot does not stay up: a Generation slot that runs takes jobs from the shared queue.
        Assert.All(Slots.Services, service => Assert.Equal(0, _cluster.ReplicasOf($"{service}-green")));
        Assert.Equal("true", _cluster.PausedOf("generation-green"));
        var record = Assert.Single(_cluster.Records);
        Assert.Equal(("release", "aborted", "blue", "green", "1.0.0", "1.1.0"), Summary(record));
        Assert.Contains("smoke checks failed on the idle green slot", record["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollback_decision_in_the_watch_window_switches_traffic_straight_back_restores_the_gateway_and_keeps_the_old_slot()
    {
        _cluster.Decisions[Slots.Green] = "rollback";

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        foreach (var service in Slots.Services)
        {
            Assert.Equal([$"{service}→green", $"{service}→blue"], _cluster.Switches.Where(change => change.StartsWith(service, StringComparison.Ordinal)));
            Assert.Equal(3, _cluster.ReplicasOf($"{service}-blue"));
        }

        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.0.0", _cluster.ImageOf("gateway"));
        var record = Assert.Single(_cluster.Records);
        Assert.Equal(("release", "rolled_back", "blue", "green", "1.0.0", "1.1.0"), Summary(record));
        Assert.Equal("error rate 9.0 % is above 5 %", record["decisions"]![0]!["detail"]!.GetValue<string>());
        Assert.Contains("\"outcome\":\"rolled_back\"", await File.ReadAllTextAsync(_rollbackLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decision_that_cannot_be_read_mid_watch_counts_as_unhealthy_and_rolls_back_at_once()
    {
        _cluster.UpcomingDecisions.Enqueue("healthy");
        _cluster.UpcomingDecisions.Enqueue("error");

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.All(Slots.Services, service => Assert.Equal(Slots.Blue, _cluster.LiveSlotOf(service)));
        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.0.0", _cluster.ImageOf("gateway"));
        var record = Assert.Single(_cluster.Records);
        Assert.Equal("rolled_back", record["outcome"]!.GetValue<string>());
        Assert.Equal(["healthy", "unreadable"], record["decisions"]!.AsArray().Select(decision => decision!["decision"]!.GetValue<string>()));
        Assert.Contains("could not be read", record["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_smoke_checks_after_the_switch_switch_back()
    {
        var released = await Release(smokePasses: slot => slot is not null).DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.All(Slots.Services, service => Assert.Equal(Slots.Blue, _cluster.LiveSlotOf(service)));
        Assert.Equal(8, _cluster.Switches.Count);
        Assert.Equal("rolled_back", Assert.Single(_cluster.Records)["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_gateway_whose_new_pods_never_become_ready_is_rolled_back_with_the_services()
    {
        _cluster.NeverReady.Add("gateway");

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.All(Slots.Services, service => Assert.Equal(Slots.Blue, _cluster.LiveSlotOf(service)));
        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.0.0", _cluster.ImageOf("gateway"));
        Assert.Contains("gateway's new pods were not ready", Assert.Single(_cluster.Records)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slot_that_never_becomes_ready_gets_no_traffic()
    {
        _cluster.NeverReady.Add("leads-green");

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.Empty(_cluster.Switches);
        Assert.Contains("not ready after", _log.ToString(), StringComparison.Ordinal);
        Assert.Empty(_smokeRuns);
        Assert.Equal("aborted", Assert.Single(_cluster.Records)["outcome"]!.GetValue<string>());
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
    public async Task A_rollback_after_a_release_scales_the_previous_slot_up_again_sends_traffic_back_and_restores_the_gateway()
    {
        Assert.True(await Release().DeployAsync("1.1.0", CancellationToken.None), _log.ToString());

        var rolledBack = await Release().RollbackAsync("a customer reported broken pages", CancellationToken.None);

        Assert.True(rolledBack, _log.ToString());
        foreach (var service in Slots.Services)
        {
            Assert.Equal(Slots.Blue, _cluster.LiveSlotOf(service));
            Assert.Equal(3, _cluster.ReplicasOf($"{service}-blue"));
            Assert.Equal($"registry.4site.pro:5000/foursite/{service}:1.0.0", _cluster.ImageOf($"{service}-blue"));
        }

        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.0.0", _cluster.ImageOf("gateway"));
        Assert.Null(_cluster.PausedOf("generation-blue"));
        var record = _cluster.Records[^1];
        Assert.Equal(("rollback", "rolled_back", "green", "blue", "1.1.0", "1.0.0"), Summary(record));
        Assert.Equal("a customer reported broken pages", record["reason"]!.GetValue<string>());
        Assert.Contains("a customer reported broken pages", await File.ReadAllTextAsync(_rollbackLog), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applying_an_overlay_after_a_release_changes_its_settings_and_leaves_the_released_images_live()
    {
        Assert.True(await Release().DeployAsync("1.1.0", CancellationToken.None), _log.ToString());
        var overlay = await Overlay.RenderAsync(Path.Combine(Repository.Root, "deploy", "kubernetes", "overlays", "production"), CancellationToken.None);

        await new OverlayApply(Kubernetes(), _log).ApplyAsync(overlay, KubernetesFake.Namespace, CancellationToken.None);

        foreach (var service in Slots.Services)
        {
            Assert.Equal($"registry.4site.pro:5000/foursite/{service}:1.1.0", _cluster.ImageOf($"{service}-green"));
            Assert.Equal($"registry.4site.pro:5000/foursite/{service}:1.0.0", _cluster.ImageOf($"{service}-blue"));
            Assert.Equal(3, _cluster.ReplicasOf($"{service}-green"));
        }

        Assert.Equal("registry.4site.pro:5000/foursite/gateway:1.1.0", _cluster.ImageOf("gateway"));
        var appliedGateway = _cluster.Applied["Deployment/gateway"];
        Assert.Equal(8080, appliedGateway["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<long>());
        Assert.True(_cluster.Applied.ContainsKey("ConfigMap/foursite-settings"));
        Assert.True(_cluster.Applied.ContainsKey("ScaledObject/generation-green"));
        Assert.Equal(overlay.Count, _cluster.Applied.Count);
    }

    [Fact]
    public async Task Services_live_on_different_slots_are_not_released()
    {
        await new PlatformSlots(_gateway).SwitchAsync("leads", Slots.Green, CancellationToken.None);

        var released = await Release().DeployAsync("1.1.0", CancellationToken.None);

        Assert.False(released);
        Assert.Equal(["leads→green"], _cluster.Switches);
        Assert.Equal("aborted", Assert.Single(_cluster.Records)["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("registry.4site.pro/foursite/leads:1.0.0", "registry.4site.pro/foursite/leads:2.0.0")]
    [InlineData("registry.4site.pro:5000/foursite/leads:1.0.0", "registry.4site.pro:5000/foursite/leads:2.0.0")]
    [InlineData("registry.4site.pro:5000/foursite/leads", "registry.4site.pro:5000/foursite/leads:2.0.0")]
    [InlineData("foursite/leads:1.0.0@sha256:0123abcd", "foursite/leads:2.0.0")]
    public void A_release_changes_only_the_tag_of_an_image(string image, string released) =>
        Assert.Equal(released, BlueGreenRelease.WithTag(image, "2.0.0"));

    [Theory]
    [InlineData("Deployment", "deployments")]
    [InlineData("NetworkPolicy", "networkpolicies")]
    [InlineData("Ingress", "ingresses")]
    [InlineData("HorizontalPodAutoscaler", "horizontalpodautoscalers")]
    public void Kinds_are_applied_at_their_resource_names(string kind, string plural) =>
        Assert.Equal(plural, OverlayApply.Plural(kind));

    private static (string, string, string?, string?, string?, string?) Summary(JsonObject record) => (
        record["kind"]!.GetValue<string>(), record["outcome"]!.GetValue<string>(), record["fromSlot"]?.GetValue<string>(), record["toSlot"]?.GetValue<string>(),
        record["fromImage"]?.GetValue<string>(), record["toImage"]?.GetValue<string>());

    private Kubernetes Kubernetes() => new(new KubernetesClientConfiguration { Host = _cluster.Url.ToString() });

    private BlueGreenRelease Release(Func<string?, bool>? smokePasses = null)
    {
        var platform = new PlatformSlots(_gateway);
        return new BlueGreenRelease(new ClusterSlots(Kubernetes(), KubernetesFake.Namespace), platform, (slot, _) =>
        {
            lock (_smokeRuns)
            {
                _smokeRuns.Add((slot, _cluster.Switches.Count));
            }

            return Task.FromResult(smokePasses?.Invoke(slot) ?? true);
        }, Quick, new ReleaseRecorder(platform, _rollbackLog, _log), _log, "ci-runner");
    }
}
