using FourSite.ServiceDefaults.Messaging;

namespace FourSite.Leads.Webhooks;

/// <summary>Wakes the dispatcher when deliveries are recorded or one ends (freeing room for the next).</summary>
public sealed class WebhookSignal : WorkSignal;
