using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>Traces, metrics and logs exported over OTLP to the Aspire dashboard.</summary>
public static class TelemetryExtensions
{
    /// <summary>The meter and activity-source prefix of FourSite's own instruments.</summary>
    public const string FourSiteSource = "FourSite.*";

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
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsHealthProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(HealthExtensions.HealthPath) || path.StartsWithSegments(HealthExtensions.AlivePath);
}
