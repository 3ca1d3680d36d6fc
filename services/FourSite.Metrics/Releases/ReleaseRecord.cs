namespace FourSite.Metrics.Releases;

/// <summary>What a release, rollback or slot switch is, and how it ended.</summary>
public static class ReleaseKinds
{
    public const string Release = "release";
    public const string Rollback = "rollback";
    public const string Switch = "switch";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Release, Rollback, Switch };

    /// <summary>released: traffic on the new version through the watch; rolled_back: it was sent back; aborted: never switched; switched, failed.</summary>
    public static readonly IReadOnlySet<string> Outcomes = new HashSet<string>(StringComparer.Ordinal) { "released", "rolled_back", "aborted", "switched", "failed" };
}

/// <summary>One deployment-health decision a release was judged by.</summary>
public sealed record ReleaseDecision(DateTimeOffset At, string Slot, string Decision, string? Detail);

/// <summary>A release, rollback or switch as recorded: who, when, from and to which slot and image, why, and the decisions.</summary>
public sealed record ReleaseRecord(Guid Id, string Kind, string Outcome, string Operator, string? FromSlot, string? ToSlot, string? FromImage, string? ToImage,
    string Reason, IReadOnlyList<ReleaseDecision> Decisions, DateTimeOffset StartedAt, DateTimeOffset FinishedAt)
{
    /// <summary>A rollback, or a release that ended in one: the on-call channel hears of it.</summary>
    public bool IsRollback => Kind == ReleaseKinds.Rollback || Outcome == "rolled_back";
}
