using FourSite.Leads.Scoring;
using Xunit;

namespace FourSite.Leads.Tests;

public sealed class LeadScorerTests
{
    private static readonly LeadScorer Scorer = new(EmailDomains.Shipped());

    private static LeadScore Score(string email = "ada@example.com", bool optIn = false, int interests = 0, int platforms = 0,
        double time = 0, double scroll = 0, int interactions = 0, int sections = 0) =>
        Scorer.Score(new LeadSignals(email, optIn, interests, platforms, time, scroll, interactions, sections));

    [Fact]
    public void The_seed_visitor_engaged_and_opted_in_scores_above_50()
    {
        // The launch spec's contract payload: 2 interests, 1 platform, opt-in, 120 s, 85 % scroll, 5 interactions, 3 sections.
        var score = Score("test@example.com", optIn: true, interests: 2, platforms: 1, time: 120, scroll: 85, interactions: 5, sections: 3);

        Assert.True(score.Total > 50);
        Assert.Equal(91, score.Total);
        Assert.Equal(30, score.Breakdown.Fit.Score);
        Assert.Equal(30, score.Breakdown.Intent.Score);
        Assert.Equal(31, score.Breakdown.Engagement.Score);
    }

    [Theory]
    [InlineData("ada@example.com", false, 0, 0, 0, 0, 0, 0, 30)]
    [InlineData("ada@gmail.com", false, 0, 0, 0, 0, 0, 0, 20)]
    [InlineData("info@example.com", false, 0, 0, 0, 0, 0, 0, 20)]
    [InlineData("ada@mailinator.com", true, 2, 2, 300, 100, 50, 10, 70)]
    [InlineData("ada@example.com", true, 0, 0, 0, 0, 0, 0, 45)]
    [InlineData("ada@example.com", false, 9, 9, 0, 0, 0, 0, 50)]
    [InlineData("ada@example.com", false, 0, 0, 45, 50, 2, 1, 45)]
    [InlineData("ada@example.com", true, 10, 10, 100_000, 100, 1000, 30, 100)]
    public void Scores_each_part_within_its_cap(string email, bool optIn, int interests, int platforms, double time, double scroll, int interactions, int sections, int expected)
    {
        var score = Score(email, optIn, interests, platforms, time, scroll, interactions, sections);

        Assert.Equal(expected, score.Total);
        Assert.Equal(score.Total, score.Breakdown.Fit.Score + score.Breakdown.Intent.Score + score.Breakdown.Engagement.Score);
        Assert.InRange(score.Breakdown.Fit.Score, 0, score.Breakdown.Fit.Max);
        Assert.InRange(score.Breakdown.Intent.Score, 0, score.Breakdown.Intent.Max);
        Assert.InRange(score.Breakdown.Engagement.Score, 0, score.Breakdown.Engagement.Max);
    }

    [Fact]
    public void A_disposable_domain_is_flagged_and_earns_no_fit()
    {
        var score = Score("someone@sub.yopmail.com", optIn: true);

        Assert.Contains(LeadScorer.DisposableDomain, score.RiskFlags);
        Assert.Equal(0, score.Breakdown.Fit.Score);
        Assert.Contains("disposable domain", score.Breakdown.Fit.Reasons);
    }

    [Fact]
    public void A_role_account_is_flagged()
    {
        var score = Score("support@acme.io");

        Assert.Contains(LeadScorer.RoleAccount, score.RiskFlags);
        Assert.Equal(LeadScorer.Weights.ValidAddress + LeadScorer.Weights.OwnDomain - LeadScorer.Weights.RoleAccountPenalty, score.Breakdown.Fit.Score);
    }

    [Fact]
    public void Explains_every_point()
    {
        var score = Score("ada@example.com", optIn: true, interests: 1, time: 61, scroll: 40, interactions: 2, sections: 2);

        Assert.Contains("newsletter opt-in", score.Breakdown.Intent.Reasons);
        Assert.Contains("1 interests", score.Breakdown.Intent.Reasons);
        Assert.Contains("61 s on site", score.Breakdown.Engagement.Reasons);
        Assert.Contains("scrolled 40 %", score.Breakdown.Engagement.Reasons);
    }

    [Fact]
    public void Merged_engagement_adds_time_and_keeps_the_deepest_scroll()
    {
        var first = new Engagement(false, ["AI/ML"], ["twitter"], 30, 80, 2, ["hero"]);
        var second = new Engagement(true, ["ai/ml", "DevOps"], [], 45, 20, 3, ["hero", "features"]);

        var merged = first.Merge(second);

        Assert.True(merged.NewsletterOptIn);
        Assert.Equal(["AI/ML", "DevOps"], merged.Interests);
        Assert.Equal(75, merged.TimeOnSiteSeconds);
        Assert.Equal(80, merged.ScrollDepth);
        Assert.Equal(5, merged.Interactions);
        Assert.Equal(["hero", "features"], merged.SectionsViewed);
    }
}
