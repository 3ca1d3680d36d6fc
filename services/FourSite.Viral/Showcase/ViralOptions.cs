using System.ComponentModel.DataAnnotations;

namespace FourSite.Viral.Showcase;

/// <summary>Growth settings (section <c>FourSite:Viral</c>).</summary>
public sealed class ViralOptions
{
    public const string Section = "FourSite:Viral";

    /// <summary>The viral score at which a site is featured in the showcase.</summary>
    [Range(0.1, 1_000_000)]
    public double FeatureThreshold { get; set; } = 25;

    /// <summary>How often shares, visits and leads counted since are folded into each site's record, score and featuring.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ScoreFoldInterval { get; set; } = TimeSpan.FromSeconds(1);
}
