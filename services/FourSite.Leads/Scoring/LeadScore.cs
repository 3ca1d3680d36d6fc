namespace FourSite.Leads.Scoring;

/// <summary>A lead's score (0–100) with the part each signal played and the risks it carries.</summary>
public sealed record LeadScore(int Total, ScoreBreakdown Breakdown, IReadOnlyList<string> RiskFlags);

/// <summary>The three parts of a score, each capped at its own maximum.</summary>
public sealed record ScoreBreakdown(ScorePart Fit, ScorePart Intent, ScorePart Engagement);

/// <summary>One part of a score: what it earned, its cap, and why.</summary>
public sealed record ScorePart(int Score, int Max, IReadOnlyList<string> Reasons);
