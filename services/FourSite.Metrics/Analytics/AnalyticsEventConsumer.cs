using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Leads;
using FourSite.Contracts.Viral;
using FourSite.Metrics.Rum;
using FourSite.ServiceDefaults.Database;
using MassTransit;

namespace FourSite.Metrics.Analytics;

/// <summary>
/// Records every business event in <c>analytics_events</c>, once: the message id (kept by the senders' outboxes across
/// redeliveries) is unique there.
/// </summary>
public sealed partial class AnalyticsEventConsumer(AnalyticsStore store, ActiveUsers activeUsers, ILogger<AnalyticsEventConsumer> logger) :
    IConsumer<GenerationStarted>,
    IConsumer<SiteGenerated>,
    IConsumer<GenerationFailed>,
    IConsumer<LeadCaptured>,
    IConsumer<LeadErased>,
    IConsumer<SubscriptionConfirmed>,
    IConsumer<ShareTracked>,
    IConsumer<SiteFeatured>,
    IConsumer<SiteUpgraded>,
    IConsumer<SiteRemoved>,
    IConsumer<SiteRegenerated>,
    IConsumer<AccountSignedUp>
{
    public Task Consume(ConsumeContext<GenerationStarted> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<SiteGenerated> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<GenerationFailed> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<LeadCaptured> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<LeadErased> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<SubscriptionConfirmed> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<ShareTracked> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<SiteFeatured> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<SiteUpgraded> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<SiteRemoved> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<SiteRegenerated> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    public Task Consume(ConsumeContext<AccountSignedUp> context) => RecordAsync(context, AnalyticsEvents.From(context.Message));

    private async Task RecordAsync(ConsumeContext context, AnalyticsEvent analytics)
    {
        await store.RecordAsync(context.MessageId ?? NewId.NextGuid(), analytics, context.CancellationToken);
        if (analytics.SessionId is not null)
        {
            try
            {
                await activeUsers.SeenAsync(analytics.SessionId);
            }
            catch (Exception exception) when (exception.IsRedisFailure())
            {
                LogActiveUsersSkipped(logger, exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Active session not counted: {Reason}")]
    private static partial void LogActiveUsersSkipped(ILogger logger, string reason);
}
