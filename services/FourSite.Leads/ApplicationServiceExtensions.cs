using FluentValidation;
using FourSite.Leads.Announcements;
using FourSite.Leads.Capture;
using FourSite.Leads.Email;
using FourSite.Leads.Notifications;
using FourSite.Leads.Ownership;
using FourSite.Leads.Privacy;
using FourSite.Leads.Scoring;
using FourSite.Leads.Webhooks;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Messaging;
using FourSite.ServiceDefaults.Outbox;

namespace FourSite.Leads;

/// <summary>Registers the Leads service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = ResourceNames.Leads;
    public const string DatabaseName = "leadsdb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddOutbox();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<SiteGeneratedConsumer>();
            bus.AddConsumer<SiteRemovedConsumer>();
            bus.AddConsumer<SiteModerationConsumer>();
            bus.AddConsumer<SiteOwnerChangedConsumer>();
            bus.AddConsumer<ShareMilestoneReachedConsumer>();
            bus.AddConsumer<SiteFeaturedConsumer>();
            bus.AddConsumer<SiteUpgradedConsumer>();
            bus.AddConsumer<SiteRegeneratedConsumer>();
            bus.AddConsumer<ReleasePublishedConsumer>();
            bus.AddConsumer<AccountErasedConsumer>();
            bus.AddConsumer<OperatorAlertEmailConsumer>();
        });

        var services = builder.Services;
        // Made once: a validator builds its rules (regexes included) when constructed, and keeps no state between requests.
        services.AddValidatorsFromAssemblyContaining<CaptureRequestValidator>(ServiceLifetime.Singleton);
        services.AddSingleton(EmailDomains.Shipped());
        services.AddSingleton<LeadScorer>();
        services.AddSingleton<LeadStore>();
        services.AddSingleton<SiteOwnerStore>();
        services.AddSingleton<SiteSuspensions>();
        services.AddSingleton<PrivacyStore>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section);
        services.AddOptions<CaptureBurstOptions>().BindConfiguration(CaptureBurstOptions.Section);
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(provider => provider.GetRequiredService<RetentionJob>());
        services.AddSingleton<ISiteOwners>(provider => provider.GetRequiredService<SiteOwnerStore>());
        services.AddSingleton<LeadsTelemetry>();
        builder.AddWebhooks();
        builder.AddEmail();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapLeadsApi();
        app.MapWebhooksApi();
        app.MapEmail();
        app.MapPrivacyApi();
        return app;
    }
}
