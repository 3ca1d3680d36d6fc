using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation.Pipeline;

/// <summary>How generation behaves (section <c>FourSite:Generation</c>).</summary>
public sealed class GenerationOptions
{
    public const string Section = "FourSite:Generation";

    /// <summary>How long <c>POST /api/generate</c> waits for the site before answering 202.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan WaitBound { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a fetched repository and its written content are reused for the same repository.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan CacheWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many generations one replica runs at once (its share of the queue). A job spends much of its time waiting on
    /// GitHub, PostgreSQL and Redis, so the broker's default of twice the cores leaves them idle under a burst.
    /// </summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;
}
