using System.Diagnostics;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>
/// The cap on exported traces per second: requests beyond it are recorded, not exported (unless they fail: see
/// <see cref="FailedTracesTests"/>), whole; traces already started are never cut.
/// </summary>
public sealed class RateLimitedSamplerTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Traces_beyond_a_burst_of_ten_are_started_at_the_capped_rate()
    {
        var sampler = new RateLimitedSampler(new ParentBasedSampler(new AlwaysOnSampler()), 5, _clock);

        Assert.Equal(10, Enumerable.Range(0, 20).Count(_ => Sampled(sampler, NewRoot())));

        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(2, Enumerable.Range(0, 20).Count(_ => Sampled(sampler, NewRoot())));

        // Quiet for a minute: a burst of ten again, not a minute's worth.
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(10, Enumerable.Range(0, 100).Count(_ => Sampled(sampler, NewRoot())));
    }

    [Fact]
    public void A_cap_above_ten_lets_a_second_of_it_through_at_once()
    {
        var sampler = new RateLimitedSampler(new ParentBasedSampler(new AlwaysOnSampler()), 50, _clock);
        Assert.Equal(50, Enumerable.Range(0, 80).Count(_ => Sampled(sampler, NewRoot())));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_started_trace_is_kept_whole_and_one_over_the_cap_stays_only_recorded_whatever_the_configured_sampler(bool parentBased)
    {
        // Aspire configures always_on, which alone would record the spans of a trace dropped upstream.
        Sampler configured = parentBased ? new ParentBasedSampler(new AlwaysOnSampler()) : new AlwaysOnSampler();
        var sampler = new RateLimitedSampler(configured, 1, _clock);
        Assert.Equal(10, Enumerable.Range(0, 11).Count(_ => Sampled(sampler, NewRoot())));

        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var droppedParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(Sampled(sampler, Child(sampledParent))));
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(SamplingDecision.RecordOnly, sampler.ShouldSample(Child(droppedParent)).Decision));
    }

    [Fact]
    public void What_the_configured_sampler_drops_takes_nothing_from_the_cap()
    {
        var sampler = new RateLimitedSampler(new AlwaysOffSampler(), 3, _clock);
        Assert.DoesNotContain(Enumerable.Range(0, 5), _ => Sampled(sampler, NewRoot()));
    }

    [Theory]
    [InlineData(null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("0", "ParentBased{AlwaysOnSampler}")]
    [InlineData("10", "RateLimited{10/s, ParentBased{AlwaysOnSampler}}")]
    [InlineData("2.5", "RateLimited{2.5/s, ParentBased{AlwaysOnSampler}}")]
    public void The_cap_is_a_setting_and_absent_or_zero_means_every_trace(string? cap, string description)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [BackgroundCallsSampler.MaxTracesPerSecond] = cap,
        }).Build();

        Assert.Equal(description, BackgroundCallsSampler.FromConfiguration(configuration).Configured.Description);
    }

    private static SamplingParameters NewRoot() =>
        new(default, ActivityTraceId.CreateRandom(), "POST /api/leads/capture", ActivityKind.Server);

    private static SamplingParameters Child(ActivityContext parent) =>
        new(parent, parent.TraceId, "POST /api/leads/capture", ActivityKind.Server);

    private static bool Sampled(Sampler sampler, SamplingParameters parameters) =>
        sampler.ShouldSample(parameters).Decision == SamplingDecision.RecordAndSample;
}
