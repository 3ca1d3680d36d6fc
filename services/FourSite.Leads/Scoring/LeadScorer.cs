using FourSite.ServiceDefaults.Identity;

namespace FourSite.Leads.Scoring;

/// <summary>
/// Scores a lead from 0 to 100 in three capped parts: <b>fit</b> (is the address a real, individual, lasting one),
/// <b>intent</b> (did they ask to hear more, and about what) and <b>engagement</b> (how much of the site they used).
/// Pure: the same signals always give the same score.
/// </summary>
public sealed class LeadScorer(EmailDomains domains)
{
    /// <summary>The weights, named so a change to the model is a change to one line.</summary>
    public static class Weights
    {
        public const int FitMax = 30;
        public const int ValidAddress = 10;
        public const int FreeMailDomain = 10;
        public const int OwnDomain = 20;
        public const int RoleAccountPenalty = 10;

        public const int IntentMax = 35;
        public const int NewsletterOptIn = 15;
        public const int PerInterest = 5;
        public const int InterestsMax = 10;
        public const int PerPlatform = 5;
        public const int PlatformsMax = 10;

        public const int EngagementMax = 35;
        public const int TimeOnSiteMax = 12;
        public const int ScrollDepthMax = 10;
        public const int PerInteraction = 1;
        public const int InteractionsMax = 5;
        public const int PerSectionViewed = 2;
        public const int SectionsViewedMax = 8;
    }

    public const string DisposableDomain = "disposable_domain";
    public const string RoleAccount = "role_account";

    public LeadScore Score(LeadSignals signals)
    {
        var risks = new List<string>();
        var fit = Fit(signals.NormalisedEmail, risks);
        var intent = Intent(signals);
        var engagement = Engagement(signals);
        return new LeadScore(Math.Clamp(fit.Score + intent.Score + engagement.Score, 0, 100), new ScoreBreakdown(fit, intent, engagement), risks);
    }

    private ScorePart Fit(string email, List<string> risks)
    {
        var domain = EmailIdentity.DomainOf(email);
        var reasons = new List<string> { "valid address" };
        var score = Weights.ValidAddress;
        if (domains.IsDisposable(domain))
        {
            // A throwaway inbox is still a person; it just will not last.
            risks.Add(DisposableDomain);
            reasons.Add("disposable domain");
            return new ScorePart(0, Weights.FitMax, reasons);
        }

        if (EmailDomains.IsFreeMail(domain))
        {
            score += Weights.FreeMailDomain;
            reasons.Add("personal mail provider");
        }
        else
        {
            score += Weights.OwnDomain;
            reasons.Add("own domain");
        }

        if (EmailDomains.IsRoleAccount(EmailIdentity.LocalPartOf(email)))
        {
            score -= Weights.RoleAccountPenalty;
            risks.Add(RoleAccount);
            reasons.Add("shared role inbox");
        }

        return new ScorePart(Math.Clamp(score, 0, Weights.FitMax), Weights.FitMax, reasons);
    }

    private static ScorePart Intent(LeadSignals signals)
    {
        var reasons = new List<string>();
        var score = 0;
        if (signals.NewsletterOptIn)
        {
            score += Weights.NewsletterOptIn;
            reasons.Add("newsletter opt-in");
        }

        var interests = Math.Min(signals.Interests * Weights.PerInterest, Weights.InterestsMax);
        if (interests > 0)
        {
            score += interests;
            reasons.Add($"{signals.Interests} interests");
        }

        var platforms = Math.Min(signals.Platforms * Weights.PerPlatform, Weights.PlatformsMax);
        if (platforms > 0)
        {
            score += platforms;
            reasons.Add($"{signals.Platforms} social platforms");
        }

        return new ScorePart(Math.Min(score, Weights.IntentMax), Weights.IntentMax, reasons);
    }

    private static ScorePart Engagement(LeadSignals signals)
    {
        var reasons = new List<string>();
        var time = signals.TimeOnSiteSeconds switch
        {
            >= 120 => Weights.TimeOnSiteMax,
            >= 60 => 10,
            >= 30 => 6,
            >= 10 => 3,
            _ => 0,
        };
        if (time > 0)
        {
            reasons.Add($"{Math.Round(signals.TimeOnSiteSeconds)} s on site");
        }

        var scroll = (int)Math.Floor(Math.Clamp(signals.ScrollDepth, 0, 100) / 100 * Weights.ScrollDepthMax);
        if (scroll > 0)
        {
            reasons.Add($"scrolled {Math.Round(signals.ScrollDepth)} %");
        }

        var interactions = Math.Min(Math.Max(signals.Interactions, 0) * Weights.PerInteraction, Weights.InteractionsMax);
        if (interactions > 0)
        {
            reasons.Add($"{signals.Interactions} interactions");
        }

        var sections = Math.Min(Math.Max(signals.SectionsViewed, 0) * Weights.PerSectionViewed, Weights.SectionsViewedMax);
        if (sections > 0)
        {
            reasons.Add($"{signals.SectionsViewed} sections viewed");
        }

        return new ScorePart(Math.Min(time + scroll + interactions + sections, Weights.EngagementMax), Weights.EngagementMax, reasons);
    }
}
