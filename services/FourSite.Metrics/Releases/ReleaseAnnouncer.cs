using FourSite.Metrics.Alerts;
using FourSite.Metrics.Alerts.Channels;
using FourSite.Metrics.Signals;

namespace FourSite.Metrics.Releases;

/// <summary>
/// Tells the channels of a release (<c>slack-alerts</c>) or a rollback (<c>slack-critical</c>), through the alert
/// delivery outbox so a channel that is down hears of it when it is back; always in the log too.
/// </summary>
public sealed class ReleaseAnnouncer(AlertChannels channels, AlertDeliveries deliveries, LogChannel log)
{
    public const string ReleaseChannel = "slack-alerts";
    public const string RollbackChannel = "slack-critical";

    public async Task AnnounceAsync(ReleaseRecord release, CancellationToken cancellationToken)
    {
        var notification = new AlertNotification(release.IsRollback ? ReleaseKinds.Rollback : release.Kind,
            release.IsRollback ? Severities.Critical : Severities.Info, AlertTransitions.Announced, Describe(release), null, 0, release.FinishedAt);
        log.Write(notification);
        if (channels.Find(release.IsRollback ? RollbackChannel : ReleaseChannel) is { } channel)
        {
            await deliveries.AddAsync(notification, [channel.Name], cancellationToken);
        }
    }

    public static string Describe(ReleaseRecord release)
    {
        var slots = release.FromSlot is null && release.ToSlot is null ? "" : $" {release.FromSlot ?? "?"} → {release.ToSlot ?? "?"}";
        var images = release.ToImage is null ? "" : $" ({release.FromImage ?? "?"} → {release.ToImage})";
        return $"{release.Kind} {release.Outcome}{slots}{images} by {release.Operator}: {release.Reason}";
    }
}
