using FourSite.Contracts.Generation;
using MassTransit;

namespace FourSite.Leads.Announcements;

/// <summary>
/// A release of a verified site's repository becomes an announcement "{project} {tag}" with its notes: drafted for the
/// maintainer's review, sent at once, or nothing, as the site's setting says. A repeated message changes nothing.
/// </summary>
public sealed partial class ReleasePublishedConsumer(AnnouncementStore announcements, ILogger<ReleasePublishedConsumer> logger) : IConsumer<ReleasePublished>
{
    public async Task Consume(ConsumeContext<ReleasePublished> context)
    {
        var release = context.Message;
        var subject = $"{release.Project} {release.Tag}";
        var notes = string.IsNullOrWhiteSpace(release.Notes) ? $"{release.Project} {release.Tag} is out." : release.Notes;
        if (release.Url is { Length: > 0 } url)
        {
            notes += $"\n\n[Release notes on GitHub]({url})";
        }

        var outcome = await announcements.ReleaseAsync(release.SiteId, release.Tag, Subjects.Clean(subject), notes, context.CancellationToken);
        LogRelease(logger, release.Tag, release.SiteId, outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {Tag} of site {SiteId}: announcement {Outcome}")]
    private static partial void LogRelease(ILogger logger, string tag, Guid siteId, string outcome);
}
