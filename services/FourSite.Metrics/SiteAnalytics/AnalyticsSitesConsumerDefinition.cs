using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// The owners' endpoint no longer subscribes to <c>SiteGenerated</c>: the analytics events' endpoint takes it, and one
/// delivery per generation is a receive, a transaction and an acknowledgement less. A broker that still binds it from
/// before is mended by <see cref="RetiredSiteGeneratedBinding"/>.
/// </summary>
public sealed class AnalyticsSitesConsumerDefinition : ConsumerDefinition<AnalyticsSitesConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AnalyticsSitesConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.ConfigureMessageTopology<SiteGenerated>(false);
}
