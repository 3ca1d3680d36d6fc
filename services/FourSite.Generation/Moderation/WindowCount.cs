using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Moderation;

/// <summary>How many things happened in a sliding window, and when the oldest of them did.</summary>
public sealed record WindowCount(long Count, DateTime? Oldest)
{
    /// <summary>How long until the oldest leaves a window of <paramref name="window"/>, freeing a place: at least a second.</summary>
    public TimeSpan RetryAfter(TimeSpan window, TimeProvider clock)
    {
        var wait = Oldest is { } oldest ? Utc(oldest) + window - clock.GetUtcNow() : TimeSpan.Zero;
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }
}
