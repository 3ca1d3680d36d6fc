using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace FourSite.ServiceDefaults.Http;

/// <summary>Readiness (<c>/health</c>: every dependency), liveness (<c>/alive</c>) and database latency (<c>/health/db</c>).</summary>
public static class HealthExtensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string DatabasePath = "/health/db";
    private const string LiveTag = "live";

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        // Probes are served in every environment: the gateway aggregates them into /api/health.
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteReport });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });

        if (app.Services.GetService<NpgsqlDataSource>() is not null)
        {
            app.MapGet(DatabasePath, ProbeDatabase).ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<IResult> ProbeDatabase(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return TypedResults.Ok(new DatabaseProbe("connected", Math.Round(latency, 2)));
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return TypedResults.Json(new DatabaseProbe("disconnected", Math.Round(latency, 2)), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        var body = new HealthProbe(
            report.Status == HealthStatus.Unhealthy ? "unhealthy" : "healthy",
            report.Entries.ToDictionary(entry => entry.Key, entry => entry.Value.Status.ToString().ToLowerInvariant()));
        return context.Response.WriteAsJsonAsync(body);
    }
}

/// <summary>A service's readiness and the state of each of its checks.</summary>
public sealed record HealthProbe(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>Whether a service reaches its database, and how long a round trip took in milliseconds.</summary>
public sealed record DatabaseProbe(string Database, double Latency);
