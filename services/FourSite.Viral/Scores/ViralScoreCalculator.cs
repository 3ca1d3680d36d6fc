namespace FourSite.Viral.Scores;

/// <summary>
/// A site's viral score: each share counts by its platform's reach, fading by half every <see cref="HalfLife"/>;
/// visits and leads that came from shares add on top, because they show the shares worked. Pure and deterministic.
/// </summary>
public static class ViralScoreCalculator
{
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(14);
    public const double PerVisitFromShares = 0.5;
    public const double PerLeadFromShares = 3;

    /// <summary>How much one share on each platform is worth, before it fades.</summary>
    public static readonly IReadOnlyDictionary<string, double> PlatformWeights = new Dictionary<string, double>
    {
        ["hackernews"] = 3,
        ["reddit"] = 2.5,
        ["twitter"] = 2,
        ["linkedin"] = 2,
        ["facebook"] = 1.5,
        ["email"] = 1,
        ["copy"] = 0.5,
    };

    public static double Score(IEnumerable<(string Platform, DateTimeOffset At)> shares, int visitsFromShares, int leadsFromShares, DateTimeOffset now) =>
        FromParts(shares.Sum(share => PlatformWeights.GetValueOrDefault(share.Platform, 0) * Fade(now - share.At)), visitsFromShares, leadsFromShares);

    /// <summary>
    /// The same score from the shares' faded points as of now. Fading is exponential, so the points can be kept as one
    /// running sum (faded to each new event, plus the new share's weight) instead of re-reading every share.
    /// </summary>
    public static double FromParts(double sharePointsNow, int visitsFromShares, int leadsFromShares)
    {
        var score = sharePointsNow + Math.Max(visitsFromShares, 0) * PerVisitFromShares + Math.Max(leadsFromShares, 0) * PerLeadFromShares;
        return Math.Round(Math.Max(score, 0), 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>1 for a share made now, ½ after one half-life, ¼ after two; a share from the future counts fully.</summary>
    public static double Fade(TimeSpan age) => age <= TimeSpan.Zero ? 1 : Math.Pow(0.5, age / HalfLife);
}
