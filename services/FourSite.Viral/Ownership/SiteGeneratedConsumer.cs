using FourSite.Contracts.Generation;
using FourSite.Viral.Shares;
using MassTransit;

namespace FourSite.Viral.Ownership;

/// <summary>Learns each new site (slug, title, owner and the owner token's hash), so its viral record and the showcase can name it.</summary>
public sealed class SiteGeneratedConsumer(ShareStore shares) : IConsumer<SiteGenerated>
{
    public Task Consume(ConsumeContext<SiteGenerated> context) =>
        shares.RememberSiteAsync(context.Message, context.CancellationToken);
}
