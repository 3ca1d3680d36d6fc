using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Leads.Ownership;

/// <summary>Follows operators' suspensions and reinstatements of sites.</summary>
public sealed class SiteModerationConsumer(SiteSuspensions suspensions) : IConsumer<SiteSuspended>, IConsumer<SiteReinstated>
{
    public Task Consume(ConsumeContext<SiteSuspended> context) =>
        suspensions.ApplyAsync(context.Message.SiteId, context.Message.Kind, context.Message.Reason, context.Message.SuspendedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<SiteReinstated> context) =>
        suspensions.ApplyAsync(context.Message.SiteId, null, null, context.Message.ReinstatedAt, context.CancellationToken);
}
