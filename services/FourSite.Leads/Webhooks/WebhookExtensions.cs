namespace FourSite.Leads.Webhooks;

/// <summary>Registers owners' webhooks: their store, the recording of events, and the dispatcher that delivers them.</summary>
public static class WebhookExtensions
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        builder.Services.AddSingleton<WebhookSignal>();
        builder.Services.AddSingleton<WebhookEvents>();
        builder.Services.AddSingleton<WebhookStore>();
        builder.Services.AddSingleton<WebhookHttpClient>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookTelemetry>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
