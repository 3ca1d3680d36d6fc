using FluentValidation;
using MassTransit;
using FourSite.Metrics.Alerts;
using FourSite.Metrics.Alerts.Channels;
using FourSite.Metrics.Slo;
using FourSite.Metrics.Analytics;
using FourSite.Metrics.Dashboard;
using FourSite.Metrics.Health;
using FourSite.Metrics.Operations;
using FourSite.Metrics.Releases;
using FourSite.Metrics.Rum;
using FourSite.Metrics.Scheduling;
using FourSite.Metrics.Signals;
using FourSite.Metrics.SiteAnalytics;
using FourSite.Metrics.Vitals;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Messaging;
using FourSite.ServiceDefaults.Outbox;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace FourSite.Metrics;

/// <summary>Registers the Metrics service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = ResourceNames.Metrics;
    public const string DatabaseName = "metricsdb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        // Only for the queue depth and the health probe: MassTransit traces the messages, so the client's own spans would repeat them.
        builder.AddRabbitMQClient(ResourceNames.Messaging, settings => settings.DisableTracing = true);
        builder.AddOutbox();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<AnalyticsEventConsumer>(consumer => consumer.Options<BatchOptions>(AnalyticsEventConsumer.Configure));
            bus.AddConsumer<SiteProChangedConsumer>();
            bus.AddConsumer<AnalyticsSitesConsumer, AnalyticsSitesConsumerDefinition>();
        });

        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Made once: a validator builds its rules (regexes included) when constructed, and keeps no state between requests.
        builder.Services.AddValidatorsFromAssemblyContaining<RumBeaconValidator>(ServiceLifetime.Singleton);
        builder.Services.AddSingleton(services =>
            AlertRuleFile.Load(Path.Combine(builder.Environment.ContentRootPath, services.GetRequiredService<IOptions<MetricsOptions>>().Value.AlertRulesFile)));

        builder.Services.AddSingleton<MetricsTelemetry>();
        builder.Services.AddSingleton<ActiveUsers>();
        builder.Services.AddSingleton<RumBuffer>();
        builder.Services.AddSingleton<RumWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RumWriter>());
        builder.Services.AddSingleton<AnalyticsStore>();
        builder.Services.AddSingleton<AnalyticsSites>();
        builder.Services.AddSingleton<ISiteOwners>(services => services.GetRequiredService<AnalyticsSites>());
        builder.Services.AddHostedService<RetiredSiteGeneratedBinding>();
        builder.Services.AddSingleton<VisitorSalts>();
        builder.Services.AddSingleton<SiteAnalyticsReader>();
        builder.Services.AddSingleton<SiteTrafficRollup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SiteTrafficRollup>());
        builder.Services.AddSingleton<ScheduledRuns>();
        builder.Services.AddSingleton<RequestSignalReader>();
        builder.Services.AddSingleton<TimingSignals>();
        builder.Services.AddSingleton<GenerationQueueDepth>();
        builder.Services.AddSingleton<SaturationReader>();
        builder.Services.AddSingleton<GoldenSignals>();
        builder.Services.AddSingleton<DeploymentHealth>();
        builder.Services.AddSingleton<SystemHealthProbe>();
        builder.Services.AddServiceHealthFanOut();
        // The Viral service, found through service discovery.
        builder.Services.AddHttpClient(ViralCoefficientClient.HttpClientName, client => client.BaseAddress = ServiceAddress.Of(ResourceNames.Viral));
        builder.Services.AddSingleton<ViralCoefficientClient>();
        builder.Services.AddSingleton<DailyRollup>();
        builder.Services.AddSingleton<RollupService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RollupService>());
        builder.Services.AddSingleton<RealtimeDashboard>();
        builder.Services.AddSingleton<SiteVitalsAssessor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SiteVitalsAssessor>());
        builder.Services.AddSingleton<RumRetentionJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RumRetentionJob>());

        builder.Services.AddSingleton<AlertMetrics>();
        builder.Services.AddSingleton<SloCalculator>();
        builder.Services.AddSingleton<RealUserVitals>();
        builder.Services.AddSingleton<RequestHistoryJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RequestHistoryJob>());
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>();
        builder.Services.AddSingleton<LogChannel>();
        builder.Services.AddSingleton<AlertChannels>();
        builder.Services.AddSingleton<AlertDeliveries>();
        builder.Services.AddSingleton<AlertSilences>();
        builder.Services.AddSingleton<IAlertSender, SlackSender>();
        builder.Services.AddSingleton<IAlertSender, WebhookSender>();
        builder.Services.AddSingleton<IAlertSender, PagerDutySender>();
        builder.Services.AddSingleton<IAlertSender, EmailSender>();
        builder.Services.AddHttpClient(SlackSender.HttpClientName);
        builder.Services.AddSingleton<AlertNotifier>();
        builder.Services.AddSingleton<ReleaseHistory>();
        builder.Services.AddSingleton<ReleaseAnnouncer>();
        builder.Services.AddHostedService<AlertDispatcher>();
        builder.Services.AddSingleton<DatabaseOutageAlert>();
        builder.Services.AddSingleton<AlertMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AlertMonitor>());
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapRumApi();
        app.MapPageViewsApi();
        app.MapSiteAnalyticsApi();
        app.MapDashboardApi();
        app.MapAlertsApi();
        app.MapSloApi();
        app.MapOperationsApi();
        app.MapReleasesApi();
        return app;
    }
}
