using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps the dashboard to the traces of work: a call out that no request or message caused (a root span of kind
/// Client: the outbox relay's and the samplers' polling of PostgreSQL and Redis, health probes) is not traced; its
/// logs and metrics remain. Everything else is decided by the sampler operators configure with the standard
/// <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c> (default <c>parentbased_always_on</c>: every trace whole).
/// </summary>
public sealed class BackgroundCallsSampler(Sampler configured) : Sampler
{
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    public Sampler Configured => configured;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext.TraceId == default && samplingParameters.Kind == ActivityKind.Client
            ? Dropped
            : configured.ShouldSample(samplingParameters);

    /// <summary>The setting that caps the traces a process starts per second (<see cref="RateLimitedSampler"/>); no cap when absent or 0.</summary>
    public const string MaxTracesPerSecond = "FourSite:Telemetry:MaxTracesPerSecond";

    /// <summary>
    /// The sampler <c>OTEL_TRACES_SAMPLER</c> names (the OpenTelemetry specification's values), capped by
    /// <see cref="MaxTracesPerSecond"/> when set, wrapped.
    /// </summary>
    public static BackgroundCallsSampler FromConfiguration(IConfiguration configuration)
    {
        var ratio = double.TryParse(configuration["OTEL_TRACES_SAMPLER_ARG"], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? value : 1.0;
        Sampler configured = configuration["OTEL_TRACES_SAMPLER"]?.Trim().ToLowerInvariant() switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            _ => new ParentBasedSampler(new AlwaysOnSampler()),
        };
        if (double.TryParse(configuration[MaxTracesPerSecond], NumberStyles.Float, CultureInfo.InvariantCulture, out var cap) && cap > 0)
        {
            configured = new RateLimitedSampler(configured, cap, TimeProvider.System);
        }

        return new BackgroundCallsSampler(configured);
    }
}
