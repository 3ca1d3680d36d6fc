using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>Traces, metrics and logs exported over OTLP to the Aspire dashboard.</summary>
public static class TelemetryExtensions
{
    /// <summary>The meter and activity-source prefix of FourSite's own instruments.</summary>
    public const string FourSiteSource = "FourSite.*";

    /// <summary>How many traces answered with a 4xx a process exports a second over the trace cap (after a burst of 10).</summary>
    public const double ClientErrorTracesPerSecond = 5;

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(FourSiteSource))
            .WithTracing(tracing => tracing
                .SetSampler(BackgroundCallsSampler.FromConfiguration(builder.Configuration))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit")
                .AddSource(FourSiteSource)
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes every few seconds would drown the real requests.
                    options.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Traces go through KeepFailedTracesProcessor to an exporter of its own (UseOtlpExporter's cannot be wrapped):
            // a failing trace over the cap is exported all the same.
            builder.Services.AddOpenTelemetry()
                .WithLogging(logging => logging.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter())
                .WithTracing(tracing => tracing.AddProcessor(_ => new KeepFailedTracesProcessor(
                    TraceExport(), new TokenBucket(ClientErrorTracesPerSecond, TimeProvider.System))));
        }

        return builder;
    }

    /// <summary>
    /// The OTLP trace exporter behind a batch, both set by the standard <c>OTEL_EXPORTER_OTLP_*</c> and <c>OTEL_BSP_*</c>
    /// variables as <c>UseOtlpExporter</c> would; the queue is larger, as failing traces kept over the cap come in bursts.
    /// </summary>
    private static BatchActivityExportProcessor TraceExport()
    {
        var batch = new BatchExportActivityProcessorOptions();
        return new BatchActivityExportProcessor(new OtlpTraceExporter(new OtlpExporterOptions()), Math.Max(batch.MaxQueueSize, 8192),
            batch.ScheduledDelayMilliseconds, batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize);
    }

    private static bool IsHealthProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(HealthExtensions.HealthPath) || path.StartsWithSegments(HealthExtensions.AlivePath);
}
