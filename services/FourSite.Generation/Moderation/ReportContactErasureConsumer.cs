using FourSite.Contracts.Leads;
using MassTransit;

namespace FourSite.Generation.Moderation;

/// <summary>A person asked to be forgotten: the contact address they left on reports goes too (a redelivery finds nothing more).</summary>
public sealed partial class ReportContactErasureConsumer(ModerationStore moderation, ILogger<ReportContactErasureConsumer> logger) : IConsumer<LeadErased>
{
    public async Task Consume(ConsumeContext<LeadErased> context)
    {
        var erased = await moderation.EraseContactAsync(context.Message.PersonHash, context.Message.SiteId, context.CancellationToken);
        if (erased > 0)
        {
            LogErased(logger, erased);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased a person's contact address from {Count} reports")]
    private static partial void LogErased(ILogger logger, int count);
}
