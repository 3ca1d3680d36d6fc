using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation.Moderation;

/// <summary>
/// Limits that keep one network or account from flooding the platform (section <c>FourSite:Abuse</c>). Generous for people,
/// tight for scripts; 0 turns a limit off. Regenerations of existing sites are not counted.
/// </summary>
public sealed class AbuseOptions
{
    public const string Section = "FourSite:Abuse";

    /// <summary>New sites one network (/24 or /48) may generate in any 24 hours.</summary>
    [Range(0, int.MaxValue)]
    public int SitesPerNetworkPerDay { get; set; } = 100;

    /// <summary>New sites one signed-in account may generate in any 24 hours.</summary>
    [Range(0, int.MaxValue)]
    public int SitesPerAccountPerDay { get; set; } = 100;

    /// <summary>New sites one network may generate in an hour before the next ones are put in the moderation queue (0: never).</summary>
    [Range(0, int.MaxValue)]
    public int SiteBurstPerNetworkPerHour { get; set; } = 20;

    /// <summary>Reports one network may file in any hour.</summary>
    [Range(0, int.MaxValue)]
    public int ReportsPerNetworkPerHour { get; set; } = 10;
}
