namespace FourSite.Viral.Billing;

/// <summary>A Pro plan as sold through Stripe Checkout.</summary>
public sealed record ProPlan(string Name, string ProductName, long AmountCents, string Currency, string Interval)
{
    /// <summary>The length of one paid period.</summary>
    public TimeSpan Period => Interval == "year" ? TimeSpan.FromDays(365) : TimeSpan.FromDays(31);
}

/// <summary>The plans a site can be upgraded to.</summary>
public static class ProPlans
{
    public static readonly IReadOnlyDictionary<string, ProPlan> All = new Dictionary<string, ProPlan>
    {
        ["pro"] = new("pro", "FourSite Pro (monthly)", 1_900, "usd", "month"),
        ["pro-annual"] = new("pro-annual", "FourSite Pro (yearly)", 19_000, "usd", "year"),
    };

    /// <summary>The plan billed every <paramref name="interval"/> (a subscription changed in Stripe's portal names only its price).</summary>
    public static ProPlan? ByInterval(string? interval) => All.Values.FirstOrDefault(plan => plan.Interval == interval);
}
