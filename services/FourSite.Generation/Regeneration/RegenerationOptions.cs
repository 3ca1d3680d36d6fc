using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation.Regeneration;

/// <summary>Regenerating sites in place (section <c>FourSite:Regeneration</c>).</summary>
public sealed class RegenerationOptions
{
    public const string Section = "FourSite:Regeneration";

    /// <summary>How many times an owner may regenerate one site in an hour (releases are not counted).</summary>
    [Range(1, 1000)]
    public int PerSitePerHour { get; set; } = 5;
}
