namespace FourSite.Leads.Capture;

/// <summary>When a site's lead form is flooded from one network (section <c>FourSite:Abuse</c>, shared with Generation's quotas).</summary>
public sealed class CaptureBurstOptions
{
    public const string Section = "FourSite:Abuse";

    /// <summary>New leads on one site from one network within an hour that raise the site for review; 0: never.</summary>
    public int CapturesPerNetworkPerHour { get; set; } = 50;
}
