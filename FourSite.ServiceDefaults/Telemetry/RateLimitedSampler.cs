using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// Caps the traces a process exports each second (a token bucket), so that tracing a load test or a burst of traffic does
/// not cost more than the work itself: below the cap every request is traced, above it only as many as the cap allows.
/// A trace over the cap is still recorded, not exported (<c>RecordOnly</c>), so that <see cref="KeepFailedTracesProcessor"/>
/// can export it after all if it fails. A span with a parent follows it, whatever the configured sampler would do alone
/// (Aspire configures <c>always_on</c>): a trace is kept or let go whole.
/// </summary>
public sealed class RateLimitedSampler : Sampler
{
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);
    private static readonly SamplingResult RecordedOnly = new(SamplingDecision.RecordOnly);
    private readonly Sampler _configured;
    private readonly TokenBucket _bucket;

    public RateLimitedSampler(Sampler configured, double tracesPerSecond, TimeProvider clock)
    {
        _configured = configured;
        _bucket = new TokenBucket(tracesPerSecond, clock);
        Description = string.Create(CultureInfo.InvariantCulture, $"RateLimited{{{tracesPerSecond:0.###}/s, {configured.Description}}}");
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default && !parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded))
        {
            // Part of a trace over the cap, here or upstream: recorded in case it fails. A span under one that is not
            // recorded at all (a health probe, a background poll) is not either.
            return Activity.Current is { IsAllDataRequested: false } ? Dropped : RecordedOnly;
        }

        var result = _configured.ShouldSample(samplingParameters);
        return parent.TraceId == default && result.Decision == SamplingDecision.RecordAndSample && !_bucket.TryTake() ? RecordedOnly : result;
    }
}
