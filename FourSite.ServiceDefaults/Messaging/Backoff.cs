namespace FourSite.ServiceDefaults.Messaging;

/// <summary>How long a background worker waits after each failure in a row: doubling from a first wait, up to a ceiling.</summary>
public static class Backoff
{
    /// <param name="current">The wait after the previous failure (zero after a success).</param>
    public static TimeSpan Next(TimeSpan current, TimeSpan first, TimeSpan ceiling) =>
        TimeSpan.FromTicks(Math.Min(Math.Max(current.Ticks * 2, first.Ticks), ceiling.Ticks));
}
