using FourSite.Contracts.Leads;
using FourSite.Viral.Scores;
using MassTransit;

namespace FourSite.Viral.Shares;

/// <summary>A lead that came through a share or a referral code is a conversion: it raises the site's score unless flagged.</summary>
public sealed class LeadCapturedConsumer(ConversionStore conversions, HotScores hotScores) : IConsumer<LeadCaptured>
{
    public async Task Consume(ConsumeContext<LeadCaptured> context)
    {
        if (context.Message.Duplicate)
        {
            return;
        }

        var outcome = await conversions.RecordLeadAsync(context.Message, context.CancellationToken);
        if (outcome.Recorded)
        {
            await hotScores.SetAsync(context.Message.SiteId, outcome.ViralScore);
        }
    }
}
