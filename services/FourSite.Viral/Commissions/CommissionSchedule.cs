namespace FourSite.Viral.Commissions;

/// <summary>
/// The referral commission rate, growing with how long the referrer has been with FourSite: 20 % to start, 25 % from
/// the third month, 30 % from the sixth, 35 % after a year and 40 % after two.
/// </summary>
public static class CommissionSchedule
{
    public const decimal Minimum = 0.20m;
    public const decimal Maximum = 0.40m;

    public static readonly IReadOnlyList<(int FromMonths, decimal Rate)> Tiers =
    [
        (0, 0.20m),
        (3, 0.25m),
        (6, 0.30m),
        (12, 0.35m),
        (24, 0.40m),
    ];

    public static decimal Rate(int relationshipMonths) =>
        Tiers.Last(tier => tier.FromMonths <= Math.Max(relationshipMonths, 0)).Rate;

    /// <summary>Whole months from <paramref name="since"/> to <paramref name="now"/> (a month counts once its day is reached).</summary>
    public static int MonthsBetween(DateTimeOffset since, DateTimeOffset now)
    {
        if (now <= since)
        {
            return 0;
        }

        var months = ((now.Year - since.Year) * 12) + now.Month - since.Month;
        return now.Day < since.Day ? months - 1 : months;
    }

    /// <summary>The commission on a payment, rounded to the cent.</summary>
    public static long CommissionCents(long amountCents, decimal rate) =>
        (long)Math.Round(amountCents * rate, MidpointRounding.AwayFromZero);
}
