using FourSite.Viral.Scores;
using Xunit;

namespace FourSite.Viral.Tests;

public sealed class ViralScoreCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(new string[0], 0, 0, 0)]
    [InlineData(new[] { "hackernews" }, 0, 0, 3)]
    [InlineData(new[] { "twitter", "linkedin", "copy" }, 0, 0, 4.5)]
    [InlineData(new[] { "email" }, 4, 1, 6)]
    [InlineData(new[] { "myspace" }, 0, 0, 0)]
    public void Weighs_shares_by_platform_and_adds_what_they_brought(string[] platforms, int visits, int leads, double expected) =>
        Assert.Equal(expected, ViralScoreCalculator.Score(platforms.Select(platform => (platform, Now)), visits, leads, Now));

    [Fact]
    public void A_share_fades_by_half_each_half_life()
    {
        var fresh = ViralScoreCalculator.Score([("reddit", Now)], 0, 0, Now);
        var older = ViralScoreCalculator.Score([("reddit", Now - ViralScoreCalculator.HalfLife)], 0, 0, Now);
        var oldest = ViralScoreCalculator.Score([("reddit", Now - 2 * ViralScoreCalculator.HalfLife)], 0, 0, Now);

        Assert.Equal(2.5, fresh);
        Assert.Equal(1.25, older);
        Assert.Equal(0.63, oldest);
    }

    [Fact]
    public void Never_goes_below_zero() => Assert.Equal(0, ViralScoreCalculator.Score([], -5, -5, Now));

    [Fact]
    public void A_running_sum_of_faded_points_gives_the_same_score_as_every_share()
    {
        (string Platform, DateTimeOffset At)[] shares =
        [
            ("reddit", Now.AddDays(-40)), ("twitter", Now.AddDays(-13)), ("copy", Now.AddDays(-13)),
            ("hackernews", Now.AddDays(-2)), ("email", Now.AddHours(-1)),
        ];
        var points = 0.0;
        var pointsAt = shares[0].At;
        foreach (var (platform, at) in shares)
        {
            points = (points * ViralScoreCalculator.Fade(at - pointsAt)) + ViralScoreCalculator.PlatformWeights[platform];
            pointsAt = at;
        }

        var running = ViralScoreCalculator.FromParts(points * ViralScoreCalculator.Fade(Now - pointsAt), 3, 1);

        Assert.Equal(ViralScoreCalculator.Score(shares, 3, 1, Now), running);
    }
}
