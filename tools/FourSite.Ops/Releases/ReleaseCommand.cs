using k8s;

namespace FourSite.Ops.Releases;

/// <summary>The deploy and rollback commands: the cluster of the current kubeconfig (or --context), the deployment's gateway.</summary>
public static class ReleaseCommand
{
    public static BlueGreenRelease Create(Uri target, string operatorKey, string @namespace, string? context, string repoUrl, ReleaseSettings settings, TextWriter log)
    {
        var kubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: context));
        var gateway = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        gateway.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        return new BlueGreenRelease(new ClusterSlots(kubernetes, @namespace), new PlatformSlots(gateway), SmokeFor(target, repoUrl, log), settings, log);
    }

    public static ReleaseSettings SettingsFrom(Func<string, string?> option)
    {
        TimeSpan Seconds(string name, TimeSpan otherwise) => int.TryParse(option(name), out var seconds) && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : otherwise;
        var defaults = ReleaseSettings.Default;
        return new ReleaseSettings(Seconds("ready-timeout-seconds", defaults.ReadyTimeout), Seconds("watch-seconds", defaults.WatchWindow),
            defaults.WatchInterval, Seconds("scale-down-after-seconds", defaults.ScaleDownDelay));
    }

    /// <summary>The smoke checks through the gateway after the switch (a generation of <paramref name="repoUrl"/> among them).</summary>
    private static Func<CancellationToken, Task<bool>> SmokeFor(Uri target, string repoUrl, TextWriter log) => async cancellationToken =>
    {
        var report = new CheckReport(log);
        await SmokeChecks.RunAsync(target, repoUrl, report, cancellationToken);
        return !report.Failed;
    };
}
