using System.Text.Json;

namespace FourSite.Ops.Releases;

/// <summary>
/// Keeps each finished release, rollback or switch: in the platform's history (which announces it), and each rollback
/// also in a local <c>rollback-log.json</c> (one JSON object per line), so a rollback is on record even when the
/// platform cannot take it — which is often why it was rolled back.
/// </summary>
public sealed class ReleaseRecorder(PlatformSlots platform, string? rollbackLog, TextWriter log)
{
    public async Task RecordAsync(ReleaseRecord release, CancellationToken cancellationToken)
    {
        if (release.IsRollback && rollbackLog is not null)
        {
            await File.AppendAllTextAsync(rollbackLog, JsonSerializer.Serialize(release, ReleaseRecord.Json) + Environment.NewLine, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await platform.RecordAsync(release, cancellationToken);
                log.WriteLine($"recorded: {release.Kind} {release.Outcome} ({release.Id})");
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt == 3)
                {
                    log.WriteLine($"WARN the {release.Kind} could not be recorded on the platform ({exception.Message}); the record: {JsonSerializer.Serialize(release, ReleaseRecord.Json)}");
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), cancellationToken);
            }
        }
    }
}
