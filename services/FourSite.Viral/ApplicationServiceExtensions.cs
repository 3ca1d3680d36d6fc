using FluentValidation;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Messaging;
using FourSite.ServiceDefaults.Outbox;
using FourSite.ServiceDefaults.Telemetry;
using FourSite.Viral.Billing;
using FourSite.Viral.Commissions;
using FourSite.Viral.Ownership;
using FourSite.Viral.Payouts;
using FourSite.Viral.Referrals;
using FourSite.Viral.Scores;
using FourSite.Viral.Shares;
using FourSite.Viral.Showcase;

namespace FourSite.Viral;

/// <summary>Registers the Viral service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = ResourceNames.Viral;
    public const string DatabaseName = "viraldb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddOutbox();
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<SiteGeneratedConsumer>();
            bus.AddConsumer<SiteModerationConsumer>();
            bus.AddConsumer<SiteRemovedConsumer>();
            bus.AddConsumer<LeadCapturedConsumer>();
            bus.AddConsumer<LeadErasedConsumer>();
            bus.AddConsumer<SiteOwnerChangedConsumer>();
            bus.AddConsumer<SiteVitalsAssessedConsumer>();
            bus.AddConsumer<AccountSignedUpConsumer>();
            bus.AddConsumer<AccountErasedConsumer>();
        });

        // Made once: a validator builds its rules (regexes included) when constructed, and keeps no state between requests.
        builder.Services.AddValidatorsFromAssemblyContaining<ShareRequestValidator>(ServiceLifetime.Singleton);
        builder.Services.AddOptions<ViralOptions>().BindConfiguration(ViralOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.Section);
        builder.Services.AddHttpClient(StripeBillingClient.HttpClientName);
        builder.Services.AddSingleton<ViralTelemetry>();
        builder.Services.AddSingleton<HotScores>();
        builder.Services.AddSingleton<TimingSignals>();
        builder.Services.AddSingleton<ScoreRecorder>();
        builder.Services.AddSingleton<ScoreFolder>();
        builder.Services.AddHostedService<ScoreFolding>();
        builder.Services.AddSingleton<SiteVitals>();
        builder.Services.AddSingleton<ShareStore>();
        builder.Services.AddSingleton<ShowcaseModeration>();
        builder.Services.AddSingleton<ConversionStore>();
        builder.Services.AddSingleton<CoefficientStore>();
        builder.Services.AddSingleton<SiteOwnerStore>();
        builder.Services.AddSingleton<ReferralStore>();
        builder.Services.AddSingleton<CheckoutSessions>();
        builder.Services.AddSingleton<StripeBillingClient>();
        builder.Services.AddSingleton<UpgradeStore>();
        builder.Services.AddSingleton<CommissionLedger>();
        builder.Services.AddSingleton<SubscriptionLifecycle>();
        builder.Services.AddSingleton<StripeEventHandler>();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddSingleton<CommissionStore>();
        builder.Services.AddOptions<PayoutOptions>().BindConfiguration(PayoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StripeConnect>();
        builder.Services.AddSingleton<PayoutAccounts>();
        builder.Services.AddSingleton<PayoutEvents>();
        builder.Services.AddSingleton<PayoutRun>();
        builder.Services.AddSingleton<PayoutStatements>();
        builder.Services.AddSingleton<PayoutSchedule>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PayoutSchedule>());
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapSharesApi();
        app.MapViralApi();
        app.MapShowcaseApi();
        app.MapReferralsApi();
        app.MapBillingApi();
        app.MapCommissionsApi();
        app.MapPayoutsApi();
        return app;
    }
}
