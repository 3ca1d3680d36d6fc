using FourSite.Contracts.Generation;
using FourSite.Viral.Data;
using MassTransit;

namespace FourSite.Viral.Messaging;

/// <summary>Forgets a removed site: its shares, visits, conversions, score and place in the showcase; a repeat changes nothing.</summary>
public sealed class SiteRemovedConsumer(ShareStore shares, HotScores hotScores) : IConsumer<SiteRemoved>
{
    public async Task Consume(ConsumeContext<SiteRemoved> context)
    {
        await shares.ForgetSiteAsync(context.Message.SiteId, context.CancellationToken);
        await hotScores.RemoveForGoodAsync(context.Message.SiteId);
    }
}
