using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// Follows each site's owners for its analytics, and forgets them when the site is removed. New sites are learnt with
/// their analytics events (<see cref="Analytics.AnalyticsEventConsumer"/>), so each <c>SiteGenerated</c> reaches Metrics
/// once; the ones still queued here from before are recorded all the same.
/// </summary>
public sealed class AnalyticsSitesConsumer(AnalyticsSites sites) : IConsumer<SiteGenerated>, IConsumer<SiteOwnerChanged>, IConsumer<SiteRemoved>
{
    public Task Consume(ConsumeContext<SiteGenerated> context) => sites.RememberAsync([context.Message], context.CancellationToken);

    public Task Consume(ConsumeContext<SiteOwnerChanged> context) =>
        sites.ChangeOwnerAsync(context.Message.SiteId, context.Message.AccountId, context.Message.OwnerTokenHash, context.Message.ChangedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<SiteRemoved> context) =>
        sites.ForgetAsync(context.Message.SiteId, context.Message.RemovedAt, context.CancellationToken);
}
