using System.Collections.Concurrent;
using System.Diagnostics;
using FourSite.Client;

namespace FourSite.Ops;

/// <summary>One phase of the load plan: so many new arrivals per second for so long.</summary>
public sealed record LoadPhase(string Name, TimeSpan Duration, int ArrivalsPerSecond);

/// <summary>What one endpoint saw during the run.</summary>
public sealed record EndpointResult(string Endpoint, int Requests, IReadOnlyDictionary<int, int> StatusCodes, int Errors, double P50Ms, double P95Ms, double P99Ms)
{
    public int ServerErrors => StatusCodes.Where(code => code.Key >= 500).Sum(code => code.Value) + Errors;
}

/// <summary>
/// The launch plan's load test: warm-up 10 arrivals/s, sustained 50/s, peak 100/s, each
/// arrival one scenario — 70 % generate, 20 % lead capture, 10 % share. Open loop: arrivals keep their schedule however
/// slowly the platform answers. Durations scale; the default is a short run.
/// </summary>
public sealed class LoadTest(IFourSiteApi api, Func<int, string> repoUrl)
{
    /// <summary>
    /// The plan in the launch specification's proportions (5 minutes of warm-up, 10 sustained, 5 at the peak):
    /// <paramref name="phaseDuration"/> stands for its 5 minutes, so the sustained phase lasts twice as long.
    /// </summary>
    public static IReadOnlyList<LoadPhase> Plan(TimeSpan phaseDuration) =>
    [
        new("warm-up", phaseDuration, 10),
        new("sustained", 2 * phaseDuration, 50),
        new("peak", phaseDuration, 100),
    ];

    private readonly ConcurrentBag<(string Endpoint, int Status, double Milliseconds)> _samples = [];
    private readonly ConcurrentBag<Guid> _sites = [];

    public async Task<IReadOnlyList<EndpointResult>> RunAsync(IReadOnlyList<LoadPhase> phases, TextWriter log, CancellationToken cancellationToken)
    {
        // A site to capture leads on and to share, as the plan's capture and share scenarios need one.
        var (siteId, _, _) = await SmokeChecks.GenerateAsync(api, repoUrl(0), cancellationToken);
        _sites.Add(siteId);
        var arrival = 0;
        var inFlight = new List<Task>();
        foreach (var phase in phases)
        {
            log.WriteLine($"phase {phase.Name}: {phase.ArrivalsPerSecond}/s for {phase.Duration.TotalSeconds:F0} s");
            var total = (int)(phase.ArrivalsPerSecond * phase.Duration.TotalSeconds);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / phase.ArrivalsPerSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }

                var n = ++arrival;
                inFlight.Add(Scenario(n, cancellationToken));
            }
        }

        await Task.WhenAll(inFlight);
        return [.. _samples.GroupBy(sample => sample.Endpoint).OrderBy(group => group.Key, StringComparer.Ordinal).Select(Summarise)];
    }

    /// <summary>The scenario of the n-th arrival, by the plan's mix: of every ten, seven generate, two capture, one shares.</summary>
    private Task Scenario(int n, CancellationToken cancellationToken) => (n % 10) switch
    {
        < 7 => Timed("POST /api/generate", async () =>
        {
            var response = await api.GenerateAsync(new GenerateRequest(repoUrl(n)), cancellationToken: cancellationToken);
            if (response.IsSuccessStatusCode && response.Content.TryGetProperty("siteId", out var site))
            {
                _sites.Add(site.GetGuid());
            }

            return response;
        }),
        < 9 => Timed("POST /api/leads/capture", async () => await api.CaptureLeadAsync(
            new CaptureRequest($"load-{n}-{Guid.NewGuid():N}@foursite-load.dev", AnySite(), NewsletterOptIn: n % 2 == 0,
                Metadata: new CaptureMetadata(TimeOnSite: 40, ScrollDepth: 50, InteractionCount: 3)), cancellationToken)),
        _ => Timed("POST /api/share/track", async () => await api.TrackShareAsync(
            new ShareRequest(AnySite(), "twitter", "https://4site.pro/s/load?via=twitter"), $"load-{n}", cancellationToken)),
    };

#pragma warning disable CA5394 // Picking a site for load traffic is no security decision.
    private Guid AnySite() => _sites.ElementAt(Random.Shared.Next(_sites.Count));
#pragma warning restore CA5394

    private async Task Timed(string endpoint, Func<Task<Refit.IApiResponse>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await call();
            _samples.Add((endpoint, response.Status(), Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            _samples.Add((endpoint, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
        }
    }

    private static EndpointResult Summarise(IGrouping<string, (string Endpoint, int Status, double Milliseconds)> samples)
    {
        var answered = samples.Where(sample => sample.Status != 0).ToList();
        var times = answered.Select(sample => sample.Milliseconds).Order().ToArray();
        double Percentile(int p) => times.Length == 0 ? double.NaN : times[Math.Clamp((int)Math.Ceiling(p / 100.0 * times.Length) - 1, 0, times.Length - 1)];
        return new EndpointResult(samples.Key, samples.Count(),
            answered.GroupBy(sample => sample.Status).OrderBy(group => group.Key).ToDictionary(group => group.Key, group => group.Count()),
            samples.Count(sample => sample.Status == 0), Percentile(50), Percentile(95), Percentile(99));
    }

    public static void Print(IReadOnlyList<EndpointResult> results, TextWriter output)
    {
        foreach (var result in results)
        {
            var codes = string.Join(", ", result.StatusCodes.Select(code => $"{code.Key}×{code.Value}"));
            output.WriteLine($"{result.Endpoint,-26} requests {result.Requests,6}  p50 {result.P50Ms,7:F1}  p95 {result.P95Ms,7:F1}  p99 {result.P99Ms,7:F1} ms  codes {codes}  errors {result.Errors}");
        }
    }
}
