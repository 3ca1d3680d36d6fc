using FourSite.Contracts.Leads;
using FourSite.Viral.Scores;
using MassTransit;

namespace FourSite.Viral.Shares;

/// <summary>A person asked to be forgotten (everywhere, or on one site): their conversions go, and the sites they counted for are rescored.</summary>
public sealed class LeadErasedConsumer(ConversionStore conversions, HotScores hotScores) : IConsumer<LeadErased>
{
    public async Task Consume(ConsumeContext<LeadErased> context)
    {
        foreach (var (websiteId, score) in await conversions.EraseAsync(context.Message.PersonHash, context.CancellationToken, context.Message.SiteId))
        {
            await hotScores.SetAsync(websiteId, score);
        }
    }
}
