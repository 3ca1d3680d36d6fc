using FourSite.Contracts.Generation;
using FourSite.Viral.Data;
using MassTransit;

namespace FourSite.Viral.Messaging;

/// <summary>Learns each new site (slug, title, owner), so its viral record and the showcase can name it.</summary>
public sealed class SiteGeneratedConsumer(ShareStore shares) : IConsumer<SiteGenerated>
{
    public Task Consume(ConsumeContext<SiteGenerated> context) =>
        shares.RememberSiteAsync(context.Message.SiteId, context.Message.Slug, context.Message.Title, context.Message.OwnerId, context.Message.CreatedAt, context.CancellationToken);
}
