using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FourSite.Gateway.Tests;

/// <summary>
/// A stand-in for one service behind the gateway, served by Kestrel on loopback: its health can be switched, and
/// every other request is answered with the service's name and the path it received.
/// </summary>
public sealed class BackendService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BackendService(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int HealthStatus { get; set; } = StatusCodes.Status200OK;

    /// <summary>What <c>GET /api/showcase</c> answers (JSON), as Viral's showcase would; unset, it answers like any other path.</summary>
    public string? Showcase { get; set; }

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public static async Task<BackendService> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var service = new BackendService(name, app);

        app.MapGet("/health", () => Results.Json(new { status = service.HealthStatus == 200 ? "healthy" : "unhealthy" }, statusCode: service.HealthStatus));
        app.MapGet("/health/db", () => Results.Json(new { database = "connected", latency = 1.5 }));
        app.MapGet("/api/showcase/slow", async (CancellationToken cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return Results.Ok();
        });
        app.MapGet("/api/showcase", (HttpContext context) => service.Showcase is { } showcase
            ? Results.Text(showcase, "application/json")
            : Results.Text($"{name} {context.Request.Method} {context.Request.Path}{context.Request.QueryString}"));
        app.MapFallback((HttpContext context) => Results.Text($"{name} {context.Request.Method} {context.Request.Path}{context.Request.QueryString}"));

        await app.StartAsync();
        return service;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
