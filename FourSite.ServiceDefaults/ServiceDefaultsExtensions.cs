using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace FourSite.ServiceDefaults;

/// <summary>The defaults every FourSite process starts with: telemetry, health, discovery, resilience, problem details.</summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemLog.Write);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<CredentialsInOpenApi>();
            options.AddOperationTransformer<CredentialsInOpenApi>();
        });
        builder.Services.AddOperatorAccess();
        builder.AddAccountAuthentication();
        builder.Services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        return builder;
    }

    /// <summary>
    /// Health endpoints, error handling, the caller's account (unless <paramref name="authenticate"/> is false, for a
    /// process that authenticates later in its own pipeline) and (in Development) the browsable API reference.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool authenticate = true)
    {
        // Behind the gateway, the client's own address and scheme come in X-Forwarded-* (trusted from loopback only,
        // unless ForwardedHeadersOptions names the gateway's network).
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (authenticate)
        {
            app.UseAuthentication();
        }

        app.MapHealthEndpoints();

        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }

        return app;
    }
}
