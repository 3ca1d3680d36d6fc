using FourSite.Client;
using FourSite.Ops;
using FourSite.Ops.Releases;
using FourSite.Ops.Scanning;

// Launch checks against any FourSite deployment (its gateway's address):
//   dotnet run --project tools/FourSite.Ops -- --target http://localhost:8080                      smoke tests
//   dotnet run --project tools/FourSite.Ops -- validate --target URL [--operator-key K] [--require ai,stripe,github] [--postgres CONNECTION] [--otlp URL]
//   dotnet run --project tools/FourSite.Ops -- load --target URL [--phase-seconds 10]                the launch plan's load test
//   dotnet run --project tools/FourSite.Ops -- scan --target URL --openapi URL,URL… [--operator-key K] [--repo URL]
//                                                                       the API baseline scan (with --repo, of a site it generates)
//   dotnet run --project tools/FourSite.Ops -- deploy --image-tag T --target URL --operator-key K [--namespace foursite]
//       [--context C] [--repo URL] [--watch-seconds 1800] [--watch-interval-seconds 30] [--scale-down-after-seconds 600]
//       [--ready-timeout-seconds 600]                                   a blue/green release on Kubernetes (current kubeconfig)
//   dotnet run --project tools/FourSite.Ops -- rollback --target URL --operator-key K [--namespace foursite] [--context C] [--reason TEXT]
//   dotnet run --project tools/FourSite.Ops -- apply --overlay deploy/kubernetes/overlays/production [--context C]
//                                                                       apply an overlay, keeping the images releases set
// Each prints one line per check (or per endpoint) and exits non-zero on any failure.
var mode = args.FirstOrDefault() is { } first && !first.StartsWith("--", StringComparison.Ordinal) ? first : "smoke";
string? Option(string name) => args.SkipWhile(arg => arg != $"--{name}").Skip(1).FirstOrDefault();

if (mode == "apply")
{
    if (Option("overlay") is not { Length: > 0 } overlay)
    {
        Console.Error.WriteLine("Give the overlay's directory: --overlay deploy/kubernetes/overlays/production");
        return 2;
    }

    var cluster = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: Option("context")));
    await new OverlayApply(cluster, Console.Out).ApplyAsync(await Overlay.RenderAsync(overlay, CancellationToken.None), Option("namespace") ?? "foursite", CancellationToken.None);
    return 0;
}

if (!Uri.TryCreate(Option("target"), UriKind.Absolute, out var target))
{
    Console.Error.WriteLine("Give the deployment's address: --target http://localhost:8080");
    return 2;
}

var repo = Option("repo") ?? "https://github.com/dotnet/aspire";
// Long enough for a release: pods ready, the gateway's rollout, the health watch, and the old slots' scale-down delay.
using var cancel = new CancellationTokenSource(TimeSpan.FromHours(2));
var report = new CheckReport(Console.Out);
switch (mode)
{
    case "smoke":
        await SmokeChecks.RunAsync(target, repo, report, cancel.Token);
        break;
    case "validate":
        var required = (Option("require") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await PreLaunchChecks.RunAsync(target, repo, Option("operator-key") ?? Environment.GetEnvironmentVariable("FourSite__Operator__ApiKey"), required,
            Option("postgres"), Option("otlp") ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"), report, cancel.Token);
        break;
    case "load":
        var seconds = int.TryParse(Option("phase-seconds"), out var value) && value > 0 ? value : 10;
        // Repositories to generate: the given one for every arrival, or numbered ones under --repo-owner (e.g. a GitHub fake).
        var owner = Option("repo-owner");
        var load = new LoadTest(FourSiteClient.Create(target), n => owner is null ? repo : $"https://github.com/{owner}/load-{n}");
        var results = await load.RunAsync(LoadTest.Plan(TimeSpan.FromSeconds(seconds)), Console.Out, cancel.Token);
        LoadTest.Print(results, Console.Out);
        var worstP99 = results.Max(result => result.P99Ms);
        Console.WriteLine($"server errors {results.Sum(result => result.ServerErrors)}, worst p99 {worstP99:F0} ms (budget 5,000 ms)");
        return results.Any(result => result.ServerErrors > 0) || worstP99 > 5_000 ? 1 : 0;
    case "scan":
        var openApi = (Option("openapi") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var findings = await ScanCommand.RunAsync(target, openApi, Option("operator-key") ?? Environment.GetEnvironmentVariable("FourSite__Operator__ApiKey"),
            Option("repo"), Console.Out, cancel.Token);
        return findings.Count > 0 ? 1 : 0;
    case "deploy" or "rollback":
        if (mode == "deploy" && string.IsNullOrEmpty(Option("image-tag")))
        {
            Console.Error.WriteLine("Give the release's image tag: --image-tag 1.2.0");
            return 2;
        }

        if ((Option("operator-key") ?? Environment.GetEnvironmentVariable("FourSite__Operator__ApiKey")) is not { Length: > 0 } releaseKey)
        {
            Console.Error.WriteLine("Releases switch traffic through the gateway's admin API: give --operator-key (or FourSite__Operator__ApiKey).");
            return 2;
        }

        var release = ReleaseCommand.Create(target, releaseKey, Option("namespace") ?? "foursite",
            Option("context"), repo, ReleaseCommand.SettingsFrom(Option), Console.Out);
        var released = mode == "deploy" ? await release.DeployAsync(Option("image-tag")!, cancel.Token) : await release.RollbackAsync(Option("reason") ?? "rolled back by hand", cancel.Token);
        return released ? 0 : 1;
    default:
        Console.Error.WriteLine($"Unknown mode '{mode}': use smoke (the default), validate, load, scan, deploy, rollback or apply.");
        return 2;
}

return report.Failed ? 1 : 0;
