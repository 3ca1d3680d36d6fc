using FluentValidation;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Outbox;
using FourSite.Viral.Apis;
using FourSite.Viral.Data;
using FourSite.Viral.Messaging;

namespace FourSite.Viral;

/// <summary>Registers the Viral service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = "viral";
    public const string DatabaseName = "viraldb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddOutbox();
        builder.AddMessaging(ServiceName, bus => bus.AddConsumer<SiteGeneratedConsumer>());

        builder.Services.AddValidatorsFromAssemblyContaining<ShareRequestValidator>();
        builder.Services.AddOptions<ViralOptions>().BindConfiguration(ViralOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ShareStore>();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapViralApi();
        return app;
    }
}
