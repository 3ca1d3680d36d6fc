using FourSite.Contracts.Leads;
using MassTransit;

namespace FourSite.Generation.Moderation;

/// <summary>Another service's check flagged a site (a flood of sign-ups from one network): it enters the moderation queue.</summary>
public sealed partial class SiteFlaggedConsumer(ModerationStore moderation, ILogger<SiteFlaggedConsumer> logger) : IConsumer<SiteFlagged>
{
    public async Task Consume(ConsumeContext<SiteFlagged> context)
    {
        var flag = context.Message;
        if (await moderation.RaiseAsync(flag.SiteId, flag.Check, flag.Details, context.CancellationToken))
        {
            LogRaised(logger, flag.SiteId, flag.Check);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site {SiteId} raised for review by the {Check} check")]
    private static partial void LogRaised(ILogger logger, Guid siteId, string check);
}
