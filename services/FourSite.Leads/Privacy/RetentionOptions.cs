namespace FourSite.Leads.Privacy;

/// <summary>How long Leads keeps what nobody confirmed or wanted (section <c>FourSite:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "FourSite:Retention";

    /// <summary>Opt-ins never confirmed: the pending subscription and its consent record go after this.</summary>
    public TimeSpan UnconfirmedSubscriptions { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Captures the honeypot marked as a bot's.</summary>
    public TimeSpan SpamLeads { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the job looks.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
