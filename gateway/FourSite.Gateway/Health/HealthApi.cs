using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FourSite.Gateway.Health;

/// <summary><c>GET /api/health</c> and <c>GET /api/health/db</c>: the whole platform's health as one answer.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/health").WithTags("Health");

        api.MapGetAndHead("/", GetPlatformHealth)
            .WithName("GetPlatformHealth")
            .WithSummary("Health of every service behind the gateway; 503 when one is down.");

        api.MapGetAndHead("/db", GetDatabaseHealth)
            .WithName("GetDatabaseHealth")
            .WithSummary("Whether the services reach their databases, and the slowest round trip in milliseconds.");

        return app;
    }

    public static async Task<JsonHttpResult<PlatformHealth>> GetPlatformHealth(ServiceHealthProbe probe, TimeProvider clock, CancellationToken cancellationToken)
    {
        var services = await probe.ProbeServicesAsync(cancellationToken);
        var healthy = services.Values.All(status => status == "healthy");
        var body = new PlatformHealth(healthy ? "healthy" : "unhealthy", clock.GetUtcNow(), services);
        return TypedResults.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<JsonHttpResult<PlatformDatabaseHealth>> GetDatabaseHealth(ServiceHealthProbe probe, CancellationToken cancellationToken)
    {
        var databases = await probe.ProbeDatabasesAsync(cancellationToken);
        var connected = databases.Values.All(database => database.Database == "connected");
        var latency = databases.Values.Select(database => database.Latency).DefaultIfEmpty(0).Max();
        var body = new PlatformDatabaseHealth(connected ? "connected" : "disconnected", latency, databases);
        return TypedResults.Json(body, statusCode: connected ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The platform's health: <c>healthy</c> only when every service is.</summary>
public sealed record PlatformHealth(string Status, DateTimeOffset Timestamp, IReadOnlyDictionary<string, string> Services);

/// <summary>The platform's database health: <c>connected</c> only when every service reaches its database.</summary>
public sealed record PlatformDatabaseHealth(string Database, double Latency, IReadOnlyDictionary<string, DatabaseProbe> Services);
