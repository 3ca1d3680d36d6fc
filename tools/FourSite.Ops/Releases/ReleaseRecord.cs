using System.Text.Json;

namespace FourSite.Ops.Releases;

/// <summary>One deployment-health decision a release was judged by.</summary>
public sealed record ReleaseDecision(DateTimeOffset At, string Slot, string Decision, string? Detail);

/// <summary>
/// A finished release, rollback or switch as the platform's history keeps it (<c>POST /api/operations/releases</c>):
/// what, how it ended, from and to which slot and image tag, why, the decisions, when, and who ran the command.
/// </summary>
public sealed record ReleaseRecord(Guid Id, string Kind, string Outcome, string? FromSlot, string? ToSlot, string? FromImage, string? ToImage, string Reason,
    IReadOnlyList<ReleaseDecision> Decisions, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string By)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool IsRollback => Kind == "rollback" || Outcome == "rolled_back";
}
