using FourSite.Benchmarks;

// Benchmarks of the whole platform on this machine (see docs/performance.md). Usage:
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- generation [generations=400] [concurrency=16] [--target http://localhost:8080]
//     (--target: against an AppHost run by hand, as operators run it, with GitHub pointed at the github-stand-in below)
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- cards [sites=100]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- analytics [page views=1000000]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- leads [rate=200] [seconds=20]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- shares [rate=200] [seconds=20]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- shares-hot [rate=500] [seconds=20]   (one site, the plan's traffic beside)
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- soak [minutes=15]   (one site shared 10/s beside captures, beacons and generations)
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- metrics [seconds per step=10]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- launch-plan [seconds of warm-up and of the peak=20; twice that sustained]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- profile [generation seconds=20] [capture and share seconds=20] [--target http://localhost:8080]
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- broadcast [subscribers=10000] [--in-process-catcher]
//     (to the local run's smtp4dev, or to an SMTP server in this process that only counts)
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- github-stand-in [port=9199]   (GitHub faked, for an AppHost run by hand)
//   dotnet run -c Release --project benchmarks/FourSite.Benchmarks -- idle [seconds=60] [windows=3]
//     (the CPU of each process of an AppHost run by hand and left alone; this one starts nothing)
// Add --dashboard to any of them to run the Aspire dashboard too (http://localhost:18888), as operators do; add
// --count-telemetry to the profile to have every process export to a counting receiver in place of the dashboard, and
// --trace-ratio 0.1 to trace one request in ten (OTEL_TRACES_SAMPLER=parentbased_traceidratio), --max-traces N to cap the
// traces each process starts a second (the AppHost's default on a local run is 2; 0 traces every request).
var benchmark = args.FirstOrDefault() ?? "generation";
var numbers = args.Skip(1).Where((value, index) => !value.StartsWith("--", StringComparison.Ordinal) && args[index] is not ("--trace-ratio" or "--max-traces" or "--target")).Select(value => int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

if (benchmark == "github-stand-in")
{
    // For load against an AppHost run by hand: FourSite__GitHub__ApiUrl=http://127.0.0.1:9199 dotnet run --project FourSite.AppHost
    using var standIn = new FourSite.StandIns.GitHubStandIn(numbers.ElementAtOrDefault(0) is > 0 and var port ? port : 9199);
    standIn.AddEveryRepository();
    Console.WriteLine($"GitHub stand-in at {standIn.Url}: every repository exists; Ctrl+C to stop.");
    var stopped = new TaskCompletionSource();
    Console.CancelKeyPress += (_, stop) => { stop.Cancel = true; stopped.TrySetResult(); };
    await stopped.Task;
    return 0;
}

if (benchmark == "idle")
{
    await IdleBenchmark.RunAsync(numbers.ElementAtOrDefault(0) is > 0 and var idleSeconds ? idleSeconds : 60, numbers.ElementAtOrDefault(1) is > 0 and var windows ? windows : 3);
    return 0;
}

string? Option(string name) => args.SkipWhile(argument => argument != name).Skip(1).FirstOrDefault();
if (benchmark is "generation" or "profile" && Option("--target") is { } target)
{
    using var client = RunningPlatform.ClientOf(new Uri(target));
    var first = numbers.ElementAtOrDefault(0);
    var second = numbers.ElementAtOrDefault(1);
    await (benchmark == "generation"
        ? GenerationBenchmark.RunAsync(client, first > 0 ? first : 400, second > 0 ? second : 16)
        : ProfileBenchmark.RunAsync(client, servers: null, first > 0 ? first : 20, second > 0 ? second : 20));
    return 0;
}

await using var telemetry = benchmark == "profile" && args.Contains("--count-telemetry") ? await TelemetryCounter.StartAsync() : null;
await using var catcher = benchmark == "broadcast" && args.Contains("--in-process-catcher") ? FourSite.StandIns.SmtpCatcher.Start(keepMessages: false) : null;
await using var platform = await RunningPlatform.StartAsync(
    dashboard: args.Contains("--dashboard"), otlpEndpoint: telemetry?.Url, traceRatio: Option("--trace-ratio"), maxTraces: Option("--max-traces"),
    settings: benchmark == "analytics" ? AnalyticsBenchmark.Settings : benchmark != "broadcast" ? null
        : [$"FourSite:Identity:SigningKey={BroadcastBenchmark.SigningKey}", .. catcher is null ? [] : new[] { $"FourSite:Email:Endpoint={catcher.Url}", "FourSite:Email:Pipelining=false" }]);
switch (benchmark)
{
    case "generation":
        using (var gateway = platform.Client("gateway"))
        {
            await GenerationBenchmark.RunAsync(gateway, numbers.ElementAtOrDefault(0) is > 0 and var count ? count : 400, numbers.ElementAtOrDefault(1) is > 0 and var workers ? workers : 16);
        }

        break;
    case "cards":
        await CardBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var cardSites ? cardSites : 100);
        break;
    case "analytics":
        await AnalyticsBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var pageViews ? pageViews : 1_000_000);
        break;
    case "leads":
        await LeadCaptureBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var rate ? rate : 200, numbers.ElementAtOrDefault(1) is > 0 and var seconds ? seconds : 20);
        break;
    case "shares":
        await ShareBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var shareRate ? shareRate : 200, numbers.ElementAtOrDefault(1) is > 0 and var shareSeconds ? shareSeconds : 20);
        break;
    case "shares-hot":
        await HotShareBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var hotRate ? hotRate : 500, numbers.ElementAtOrDefault(1) is > 0 and var hotSeconds ? hotSeconds : 20);
        break;
    case "soak":
        await HotShareBenchmark.SoakAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var soakMinutes ? soakMinutes : 15);
        break;
    case "metrics":
        await MetricsBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var stepSeconds ? stepSeconds : 10);
        break;
    case "launch-plan":
        await LaunchPlanBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var phaseSeconds ? phaseSeconds : 20);
        break;
    case "profile":
        using (var gateway = platform.Client("gateway"))
        {
            var servers = (await platform.ConnectionStringAsync("generationdb"), await platform.ConnectionStringAsync("cache"));
            await ProfileBenchmark.RunAsync(gateway, servers, numbers.ElementAtOrDefault(0) is > 0 and var generationSeconds ? generationSeconds : 20,
                numbers.ElementAtOrDefault(1) is > 0 and var captureSeconds ? captureSeconds : 20, telemetry);
        }

        break;
    case "broadcast":
        await BroadcastBenchmark.RunAsync(platform, numbers.ElementAtOrDefault(0) is > 0 and var subscribers ? subscribers : 10_000);
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{benchmark}': use generation, cards, analytics, leads, shares, shares-hot, soak, metrics, launch-plan, profile or broadcast.");
        return 2;
}

return 0;
