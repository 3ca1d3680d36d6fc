using System.ComponentModel.DataAnnotations;

namespace FourSite.Viral.Payouts;

/// <summary>Paying referrers (section <c>FourSite:Payouts</c>).</summary>
public sealed class PayoutOptions
{
    public const string Section = "FourSite:Payouts";

    /// <summary>The least a referrer is paid at once, in the ledger currency's cents; less waits for the next payout.</summary>
    [Range(1, 100_000_000)]
    public long MinimumCents { get; set; } = 2_500;

    /// <summary>How often a payout runs by itself (e.g. <c>7.00:00:00</c>); unset, only an operator runs one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "366.00:00:00")]
    public TimeSpan? Schedule { get; set; }

    /// <summary>The country of a referrer's new Stripe Express account when the referrer has not said (Stripe asks them for the rest).</summary>
    [Required, RegularExpression("^[A-Z]{2}$")]
    public string DefaultCountry { get; set; } = "US";
}
