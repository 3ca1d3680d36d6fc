using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Leads;
using FourSite.Contracts.Viral;
using FourSite.Metrics.Rum;
using FourSite.Metrics.SiteAnalytics;
using FourSite.ServiceDefaults.Database;
using MassTransit;

namespace FourSite.Metrics.Analytics;

/// <summary>
/// Records every business event in <c>analytics_events</c>, once: the message id (kept by the senders' outboxes across
/// redeliveries) is unique there. Events come in batches of a type, each batch one statement: under load a generation's
/// events and a capture's cost Metrics and PostgreSQL one transaction per batch rather than one per event.
/// </summary>
public sealed partial class AnalyticsEventConsumer(AnalyticsStore store, AnalyticsSites sites, ActiveUsers activeUsers, ILogger<AnalyticsEventConsumer> logger) :
    IConsumer<Batch<GenerationStarted>>,
    IConsumer<Batch<SiteGenerated>>,
    IConsumer<Batch<GenerationFailed>>,
    IConsumer<Batch<LeadCaptured>>,
    IConsumer<Batch<LeadErased>>,
    IConsumer<Batch<SubscriptionConfirmed>>,
    IConsumer<Batch<ShareTracked>>,
    IConsumer<Batch<SiteFeatured>>,
    IConsumer<Batch<SiteUpgraded>>,
    IConsumer<Batch<SiteRemoved>>,
    IConsumer<Batch<SiteRegenerated>>,
    IConsumer<Batch<AccountSignedUp>>
{
    public Task Consume(ConsumeContext<Batch<GenerationStarted>> context) => RecordAsync(context, AnalyticsEvents.From);

    /// <summary>A new site is also learnt for its owners' analytics here, so Metrics receives each <c>SiteGenerated</c> once.</summary>
    public async Task Consume(ConsumeContext<Batch<SiteGenerated>> context)
    {
        await sites.RememberAsync(context.Message.Select(item => item.Message), context.CancellationToken);
        await RecordAsync(context, AnalyticsEvents.From);
    }

    public Task Consume(ConsumeContext<Batch<GenerationFailed>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<LeadCaptured>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<LeadErased>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<SubscriptionConfirmed>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<ShareTracked>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<SiteFeatured>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<SiteUpgraded>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<SiteRemoved>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<SiteRegenerated>> context) => RecordAsync(context, AnalyticsEvents.From);

    public Task Consume(ConsumeContext<Batch<AccountSignedUp>> context) => RecordAsync(context, AnalyticsEvents.From);

    /// <summary>How the batches are cut: as many events as arrive within the time limit of the first, up to the message limit.</summary>
    public static void Configure(BatchOptions options) => options.SetMessageLimit(100).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(2);

    private async Task RecordAsync<TMessage>(ConsumeContext<Batch<TMessage>> context, Func<TMessage, AnalyticsEvent> record)
        where TMessage : class
    {
        var events = context.Message.Select(item => (MessageId: item.MessageId ?? NewId.NextGuid(), Event: record(item.Message))).ToList();
        await store.RecordAsync(events, context.CancellationToken);
        try
        {
            await activeUsers.SeenAsync(events.Select(item => item.Event.SessionId).OfType<string>());
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogActiveUsersSkipped(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Active sessions not counted: {Reason}")]
    private static partial void LogActiveUsersSkipped(ILogger logger, string reason);
}
