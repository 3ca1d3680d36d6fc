using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// Caps the traces a process starts each second (a token bucket), so that tracing a load test or a burst of traffic does
/// not cost more than the work itself: below the cap every request is traced, above it only as many as the cap allows.
/// A span with a parent follows it, whatever the configured sampler would do alone (Aspire configures
/// <c>always_on</c>): a trace is kept or dropped whole.
/// </summary>
public sealed class RateLimitedSampler : Sampler
{
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);
    private readonly Sampler _configured;
    private readonly double _tracesPerSecond;
    private readonly TimeProvider _clock;
    private readonly Lock _bucket = new();
    private double _tokens;
    private long _filledAt;

    public RateLimitedSampler(Sampler configured, double tracesPerSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tracesPerSecond);
        _configured = configured;
        _tracesPerSecond = tracesPerSecond;
        _clock = clock;
        _tokens = Capacity;
        _filledAt = clock.GetTimestamp();
        Description = string.Create(CultureInfo.InvariantCulture, $"RateLimited{{{tracesPerSecond:0.###}/s, {configured.Description}}}");
    }

    /// <summary>A burst of up to 10 traces (or a second's worth, when more) is let through at once: a page's calls, say.</summary>
    private double Capacity => Math.Max(10, _tracesPerSecond);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default && !parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded))
        {
            return Dropped;
        }

        var result = _configured.ShouldSample(samplingParameters);
        return parent.TraceId == default && result.Decision == SamplingDecision.RecordAndSample && !TryTakeToken() ? Dropped : result;
    }

    private bool TryTakeToken()
    {
        lock (_bucket)
        {
            var now = _clock.GetTimestamp();
            _tokens = Math.Min(Capacity, _tokens + _clock.GetElapsedTime(_filledAt, now).TotalSeconds * _tracesPerSecond);
            _filledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
