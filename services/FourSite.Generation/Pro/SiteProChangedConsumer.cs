using FourSite.Contracts.Viral;
using MassTransit;

namespace FourSite.Generation.Pro;

/// <summary>Keeps a site's Pro state as Viral announces it, which takes the FourSite badge off its page.</summary>
public sealed partial class SiteProChangedConsumer(ProStatus pro, ILogger<SiteProChangedConsumer> logger) : IConsumer<SiteProChanged>
{
    public async Task Consume(ConsumeContext<SiteProChanged> context)
    {
        var change = context.Message;
        if (await pro.ApplyAsync(change, context.CancellationToken))
        {
            LogApplied(logger, change.SiteId, change.Plan, change.ProUntil);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId} Pro state: plan {Plan}, Pro until {ProUntil}")]
    private static partial void LogApplied(ILogger logger, Guid siteId, string? plan, DateTimeOffset? proUntil);
}
