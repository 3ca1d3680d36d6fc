using k8s;

namespace FourSite.Ops.Releases;

/// <summary>The deploy and rollback commands: the cluster of the current kubeconfig (or --context), the deployment's gateway.</summary>
public static class ReleaseCommand
{
    /// <summary>The file each rollback is also written to, in the working directory (the launch plan's name).</summary>
    public const string RollbackLog = "rollback-log.json";

    public static BlueGreenRelease Create(Uri target, string operatorKey, string @namespace, string? context, string repoUrl, ReleaseSettings settings, TextWriter log)
    {
        var kubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: context));
        var gateway = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        gateway.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        var platform = new PlatformSlots(gateway);
        return new BlueGreenRelease(new ClusterSlots(kubernetes, @namespace), platform, SmokeFor(target, operatorKey, repoUrl, log), settings,
            new ReleaseRecorder(platform, RollbackLog, log), log, Environment.UserName);
    }

    public static ReleaseSettings SettingsFrom(Func<string, string?> option)
    {
        TimeSpan Seconds(string name, TimeSpan otherwise) => int.TryParse(option(name), out var seconds) && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : otherwise;
        var defaults = ReleaseSettings.Default;
        return new ReleaseSettings(Seconds("ready-timeout-seconds", defaults.ReadyTimeout), Seconds("watch-seconds", defaults.WatchWindow),
            Seconds("watch-interval-seconds", defaults.WatchInterval), Seconds("scale-down-after-seconds", defaults.ScaleDownDelay));
    }

    /// <summary>The smoke checks through the gateway (a generation of <paramref name="repoUrl"/> among them), pinned to a slot or as users reach it.</summary>
    private static SmokeCheck SmokeFor(Uri target, string operatorKey, string repoUrl, TextWriter log) => async (slot, cancellationToken) =>
    {
        var report = new CheckReport(log);
        using var handler = slot is null ? new SocketsHttpHandler() : (HttpMessageHandler)new SlotPinningHandler(slot, operatorKey);
        await SmokeChecks.RunAsync(target, repoUrl, report, cancellationToken, handler);
        return !report.Failed;
    };
}
