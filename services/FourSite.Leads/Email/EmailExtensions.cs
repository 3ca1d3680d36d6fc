using FourSite.Leads.Announcements;
using FourSite.Leads.Notifications;
using FourSite.Leads.Subscriptions;

namespace FourSite.Leads.Email;

/// <summary>Registers email: subscriptions with double opt-in, announcements, maintainers' lead notifications, and the dispatcher that sends them all.</summary>
public static class EmailExtensions
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section);
        builder.Services.AddSingleton<EmailSignal>();
        builder.Services.AddSingleton<EmailTelemetry>();
        builder.Services.AddSingleton<EmailQueue>();
        builder.Services.AddSingleton<EmailComposer>();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddSingleton<AnnouncementStore>();
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddHostedService<EmailDispatcher>();
        builder.Services.AddHostedService<LeadDigestScheduler>();
        builder.Services.AddHostedService<UnsubscribeMailReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEmail(this IEndpointRouteBuilder app)
    {
        app.MapSubscriptionPages();
        app.MapAnnouncementsApi();
        app.MapNotificationsApi();
        return app;
    }
}
