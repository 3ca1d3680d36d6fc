namespace FourSite.Leads.Scoring;

/// <summary>What a lead's score is computed from: the normalised email and the visitor's (merged) intent and engagement.</summary>
public sealed record LeadSignals(
    string NormalisedEmail,
    bool NewsletterOptIn,
    int Interests,
    int Platforms,
    double TimeOnSiteSeconds,
    double ScrollDepth,
    int Interactions,
    int SectionsViewed);
