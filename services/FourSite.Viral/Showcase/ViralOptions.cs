using System.ComponentModel.DataAnnotations;

namespace FourSite.Viral.Showcase;

/// <summary>Growth settings (section <c>FourSite:Viral</c>).</summary>
public sealed class ViralOptions
{
    public const string Section = "FourSite:Viral";

    /// <summary>The viral score at which a site is featured in the showcase.</summary>
    [Range(0.1, 1_000_000)]
    public double FeatureThreshold { get; set; } = 25;
}
