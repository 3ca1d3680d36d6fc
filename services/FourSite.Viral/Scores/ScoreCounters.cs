using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Scores;

/// <summary>
/// A site's counters as folded into its record, or one increment waiting to be folded (with its platform). Share
/// points are faded to <see cref="SharePointsAt"/>.
/// </summary>
public sealed class ScoreCounters
{
    public string Platform { get; init; } = "";
    public int Shares { get; init; }
    public int Visits { get; init; }
    public int Leads { get; init; }
    public double SharePoints { get; init; }
    public DateTime SharePointsAt { get; init; }

    /// <summary>The record with its increments added, as of now. A count never goes below zero.</summary>
    public ScoreCounters Plus(IReadOnlyCollection<ScoreCounters> increments, DateTimeOffset now) => new()
    {
        Shares = Math.Max(Shares + increments.Sum(increment => increment.Shares), 0),
        Visits = Math.Max(Visits + increments.Sum(increment => increment.Visits), 0),
        Leads = Math.Max(Leads + increments.Sum(increment => increment.Leads), 0),
        SharePoints = PointsAt(now) + increments.Sum(increment => increment.PointsAt(now)),
        SharePointsAt = now.UtcDateTime,
    };

    public double Score => ViralScoreCalculator.FromParts(SharePoints, Visits, Leads);

    private double PointsAt(DateTimeOffset now) => SharePoints * ViralScoreCalculator.Fade(now - Utc(SharePointsAt));
}
