using FourSite.Viral.Commissions;
using FourSite.Viral.Referrals;
using FourSite.Viral.Scores;
using FourSite.Viral.Shares;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>The pure rules of growth: fraud signals, the commission schedule, the viral coefficient, referrer platforms.</summary>
public sealed class GrowthRulesTests
{
    private static readonly Arrival[] Sharers = [new("sharer-session", "198.51.100.0/24"), new(null, null)];

    [Theory]
    [InlineData("visitor", "203.0.113.0/24", 0, null)]
    [InlineData("sharer-session", "203.0.113.0/24", 0, ReferralFraud.SameSession)]
    [InlineData("visitor", "198.51.100.0/24", 0, ReferralFraud.SameNetwork)]
    [InlineData("visitor", "203.0.113.0/24", 2, null)]
    [InlineData("visitor", "203.0.113.0/24", 3, ReferralFraud.Velocity)]
    [InlineData("visitor", null, 50, null)]
    [InlineData(null, null, 0, null)]
    public void Fraud_signals(string? session, string? network, int earlierFromNetwork, string? expected) =>
        Assert.Equal(expected, ReferralFraud.Signal(new Arrival(session, network), Sharers, earlierFromNetwork));

    [Theory]
    [InlineData(0, 0.20)]
    [InlineData(2, 0.20)]
    [InlineData(3, 0.25)]
    [InlineData(6, 0.30)]
    [InlineData(11, 0.30)]
    [InlineData(12, 0.35)]
    [InlineData(24, 0.40)]
    [InlineData(600, 0.40)]
    [InlineData(-5, 0.20)]
    public void Commission_rate_grows_with_months_within_20_to_40_percent(int months, double expected)
    {
        var rate = CommissionSchedule.Rate(months);

        Assert.Equal((decimal)expected, rate);
        Assert.InRange(rate, CommissionSchedule.Minimum, CommissionSchedule.Maximum);
    }

    [Theory]
    [InlineData("2026-01-31", "2026-02-28", 0)]
    [InlineData("2026-01-31", "2026-03-31", 2)]
    [InlineData("2025-11-25", "2026-11-25", 12)]
    [InlineData("2026-11-25", "2026-11-24", 0)]
    public void Relationship_months_count_whole_months(string since, string now, int expected) =>
        Assert.Equal(expected, CommissionSchedule.MonthsBetween(DateTimeOffset.Parse(since), DateTimeOffset.Parse(now)));

    [Theory]
    [InlineData(1_900, 0.20, 380)]
    [InlineData(1_900, 0.35, 665)]
    [InlineData(999, 0.25, 250)]
    public void Commission_is_rounded_to_the_cent(long amount, double rate, long expected) =>
        Assert.Equal(expected, CommissionSchedule.CommissionCents(amount, (decimal)rate));

    [Theory]
    [InlineData(0, 0, 0, 0, 0, 0)]
    [InlineData(10, 5, 4, 0.8, 2, 0.4)]
    [InlineData(6, 2, 6, 3, 3, 1)]
    [InlineData(3, 3, 0, 0, 1, 0)]
    public void K_is_invites_per_user_times_conversion_rate(int shares, int sharers, int conversions, double k, double invitesPerUser, double conversionRate)
    {
        var coefficient = ViralCoefficient.Of(shares, sharers, conversions);

        Assert.Equal(new Coefficient(k, invitesPerUser, conversionRate), coefficient);
    }

    [Theory]
    [InlineData(10, 1, 1, ViralCoefficient.ShareToVisit)]
    [InlineData(10, 8, 1, ViralCoefficient.VisitToLead)]
    [InlineData(0, 3, 1, ViralCoefficient.VisitToLead)]
    public void The_funnel_names_its_weakest_step(int shares, int visits, int leads, string weakest) =>
        Assert.Equal(weakest, ViralCoefficient.Funnel("reddit", shares, visits, leads).WeakestStep);

    [Theory]
    [InlineData("https://t.co/abc", "twitter")]
    [InlineData("https://x.com/someone/status/1", "twitter")]
    [InlineData("https://www.linkedin.com/feed/", "linkedin")]
    [InlineData("https://old.reddit.com/r/dotnet", "reddit")]
    [InlineData("https://news.ycombinator.com/item?id=1", "hackernews")]
    [InlineData("https://m.facebook.com/", "facebook")]
    [InlineData("https://notreddit.com/", null)]
    [InlineData("https://reddit.com.evil.example/", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_referrer_names_its_platform(string? referrer, string? platform) =>
        Assert.Equal(platform, SharePlatforms.FromReferrer(referrer));

    [Fact]
    public void Referral_codes_are_well_formed_and_do_not_repeat()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => ReferralCodes.New()).ToList();

        Assert.All(codes, code => Assert.True(ReferralCodes.IsWellFormed(code)));
        Assert.All(codes, code => Assert.Equal(ReferralCodes.Length, code.Length));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}
