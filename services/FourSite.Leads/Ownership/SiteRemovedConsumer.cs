using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Leads.Ownership;

/// <summary>Forgets a removed site and the leads captured on it: they were the owner's, and the owner let the site go.</summary>
public sealed class SiteRemovedConsumer(SiteOwnerStore owners) : IConsumer<SiteRemoved>
{
    public Task Consume(ConsumeContext<SiteRemoved> context) => owners.ForgetAsync(context.Message.SiteId, context.CancellationToken);
}
