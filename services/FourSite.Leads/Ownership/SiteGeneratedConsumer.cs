using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Leads.Ownership;

/// <summary>Learns each new site's owner-token hash, so the owner (and only the owner) can read the site's leads, and its name and address for emails about it.</summary>
public sealed class SiteGeneratedConsumer(SiteOwnerStore owners) : IConsumer<SiteGenerated>
{
    public Task Consume(ConsumeContext<SiteGenerated> context) =>
        owners.RememberAsync(context.Message.SiteId, context.Message.OwnerId, context.Message.OwnerTokenHash, context.Message.AccountId, context.CancellationToken,
            new SiteName(context.Message.Slug, context.Message.Title));
}
