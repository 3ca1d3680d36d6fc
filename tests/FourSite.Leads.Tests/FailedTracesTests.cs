using System.Diagnostics;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>
/// Over the trace cap, a trace that fails is exported all the same, whole; a 4xx within its own budget; a success not.
/// The real OpenTelemetry SDK, sampler and processor, with an in-memory exporter in place of OTLP.
/// </summary>
public sealed class FailedTracesTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<Activity> _exported = [];
    // Not under "FourSite.*": the services other tests run in this process listen to that, and would sample every span.
    private readonly ActivitySource _source = new($"Tests.FailedTraces.{Guid.NewGuid():N}");
    private readonly TracerProvider _provider;

    public FailedTracesTests() =>
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(_source.Name)
            .SetSampler(new RateLimitedSampler(new ParentBasedSampler(new AlwaysOnSampler()), 1, _clock))
            .AddProcessor(new KeepFailedTracesProcessor(new SimpleActivityExportProcessor(new InMemoryExporter<Activity>(_exported)), new TokenBucket(5, _clock)))
            .Build()!;

    public void Dispose()
    {
        _provider.Dispose();
        _source.Dispose();
    }

    /// <summary>A request: its server span answering <paramref name="status"/>, a span of its own work and a call out.</summary>
    private ActivityTraceId Request(int status, int dependencyStatus = 200, bool workThrows = false, ActivityContext parent = default)
    {
        using var root = _source.StartActivity("POST /api/leads/capture", ActivityKind.Server, parent)!;
        using (var work = _source.StartActivity("work"))
        {
            if (workThrows)
            {
                work!.AddException(new InvalidOperationException("the job failed"));
                work.SetStatus(ActivityStatusCode.Error);
            }
        }

        using (var call = _source.StartActivity("GET", ActivityKind.Client))
        {
            call!.SetTag("http.response.status_code", dependencyStatus);
            if (dependencyStatus >= 400)
            {
                call.SetStatus(ActivityStatusCode.Error);
            }
        }

        root.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            root.SetStatus(ActivityStatusCode.Error);
        }

        return root.TraceId;
    }

    private bool ExportedWhole(ActivityTraceId trace) => _exported.Count(span => span.TraceId == trace) == 3;

    private bool Exported(ActivityTraceId trace) => _exported.Any(span => span.TraceId == trace);

    [Fact]
    public void Every_failing_request_over_the_cap_is_exported_whole_and_successes_stay_within_the_cap()
    {
        var successes = Enumerable.Range(0, 40).Select(_ => Request(200)).ToList();
        var serverErrors = Enumerable.Range(0, 5).Select(_ => Request(500)).ToList();
        var failedDependency = Enumerable.Range(0, 5).Select(_ => Request(502, dependencyStatus: 503)).ToList();
        var failedWork = Enumerable.Range(0, 5).Select(_ => Request(200, workThrows: true)).ToList();

        // The cap is 1 a second after a burst of 10: the first ten requests are traced as ever, the other thirty not.
        Assert.Equal(10, successes.Count(Exported));
        Assert.All(successes.Where(Exported), trace => Assert.True(ExportedWhole(trace)));
        Assert.All(serverErrors.Concat(failedDependency).Concat(failedWork), trace => Assert.True(ExportedWhole(trace)));
        Assert.All(_exported, span => Assert.True(span.Recorded));
    }

    [Fact]
    public void Client_errors_over_the_cap_are_exported_within_a_budget_of_their_own()
    {
        Enumerable.Range(0, 10).ToList().ForEach(_ => Request(200));
        var first = Enumerable.Range(0, 30).Select(_ => Request(400)).ToList();
        Assert.Equal(10, first.Count(Exported));
        Assert.All(first.Where(Exported), trace => Assert.True(ExportedWhole(trace)));

        // A call out that got a 4xx fails nothing by itself: the request answered 200.
        Assert.False(Exported(Request(200, dependencyStatus: 404)));

        // A second later: five more within the budget, and one within the cap (which does not look at the answer).
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(6, Enumerable.Range(0, 30).Select(_ => Request(400)).Count(Exported));
        Assert.True(ExportedWhole(Request(500)));
    }

    [Fact]
    public void A_service_keeps_its_own_failing_part_of_a_trace_dropped_upstream()
    {
        var upstream = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        var succeeded = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        Assert.True(ExportedWhole(Request(500, parent: upstream)));
        Assert.False(Exported(Request(200, parent: succeeded)));
    }

    [Fact]
    public void A_span_that_ends_after_its_failed_root_is_exported_with_it()
    {
        Enumerable.Range(0, 10).ToList().ForEach(_ => Request(200));
        Activity late;
        ActivityTraceId trace;
        using (var root = _source.StartActivity("POST /api/generate", ActivityKind.Server)!)
        {
            late = _source.StartActivity("left running")!;
            Activity.Current = root;
            root.SetTag("http.response.status_code", 503);
            trace = root.TraceId;
        }

        late.Stop();
        Assert.Equal(2, _exported.Count(span => span.TraceId == trace));
    }
}
