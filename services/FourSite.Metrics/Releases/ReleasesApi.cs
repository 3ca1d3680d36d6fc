using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Metrics.Releases;

/// <summary>
/// <c>/api/operations/releases</c> (operator only): the history of releases, rollbacks and slot switches, and the
/// record the release command (or <c>/ops</c>) reports once one is over, which is announced to the channels.
/// </summary>
public static class ReleasesApi
{
    private const int MaxText = 500;
    private const int MaxDecisions = 200;

    /// <summary>A finished release, rollback or switch; <c>id</c> makes a retried report count once; <c>by</c> names who ran it.</summary>
    public sealed record ReleaseReport(Guid? Id, string? Kind, string? Outcome, string? FromSlot, string? ToSlot, string? FromImage, string? ToImage,
        string? Reason, IReadOnlyList<ReleaseDecision>? Decisions, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? By);

    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        var releases = app.MapGroup("/api/operations/releases").WithTags("Operations").RequireOperatorKey();
        releases.MapGet("/", List).WithName("GetReleases").WithSummary("Releases, rollbacks and slot switches, newest first.");
        releases.MapPost("/", Record).WithName("RecordRelease").WithSummary("Record a finished release, rollback or switch, and announce it to the channels.");
        return app;
    }

    public static async Task<IResult> List(int? limit, ReleaseHistory history, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = ["limit must be from 1 to 500."] });
        }

        return TypedResults.Ok(await history.ListAsync(limit ?? 50, cancellationToken));
    }

    public static async Task<IResult> Record(ReleaseReport report, ReleaseHistory history, ReleaseAnnouncer announcer, MetricsTelemetry telemetry,
        HttpContext context, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Validate(report) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var finishedAt = report.FinishedAt ?? clock.GetUtcNow();
        var caller = OperatorName.Of(context);
        var release = new ReleaseRecord(report.Id ?? Guid.CreateVersion7(), report.Kind!, report.Outcome!, report.By is null ? caller : $"{caller} ({report.By})", report.FromSlot, report.ToSlot,
            report.FromImage, report.ToImage, report.Reason!.Trim(), report.Decisions ?? [], report.StartedAt ?? finishedAt, finishedAt);
        await history.AddAsync(release, cancellationToken);
        await announcer.AnnounceAsync(release, cancellationToken);
        telemetry.Release(release.Kind, release.Outcome);
        return TypedResults.Created($"/api/operations/releases/{release.Id}", release);
    }

    private static Dictionary<string, string[]> Validate(ReleaseReport report)
    {
        var errors = new Dictionary<string, string[]>();
        if (report.Kind is null || !ReleaseKinds.All.Contains(report.Kind))
        {
            errors["kind"] = [$"kind must be one of: {string.Join(", ", ReleaseKinds.All)}."];
        }

        if (report.Outcome is null || !ReleaseKinds.Outcomes.Contains(report.Outcome))
        {
            errors["outcome"] = [$"outcome must be one of: {string.Join(", ", ReleaseKinds.Outcomes)}."];
        }

        if (string.IsNullOrWhiteSpace(report.Reason) || !IsText(report.Reason))
        {
            errors["reason"] = [$"reason is required: at most {MaxText} characters of text."];
        }

        foreach (var (name, value) in new[] { ("fromSlot", report.FromSlot), ("toSlot", report.ToSlot), ("fromImage", report.FromImage), ("toImage", report.ToImage), ("by", report.By) })
        {
            if (value is not null && (value.Length == 0 || !IsText(value) || value.Contains('\n', StringComparison.Ordinal)))
            {
                errors[name] = [$"{name} must be one line of at most {MaxText} characters."];
            }
        }

        if (report.Decisions is { } decisions && (decisions.Count > MaxDecisions
            || decisions.Any(decision => decision is null || !IsText(decision.Slot) || !IsText(decision.Decision) || (decision.Detail is not null && !IsText(decision.Detail)))))
        {
            errors["decisions"] = [$"decisions must be at most {MaxDecisions}, each with a slot, a decision and an optional detail of text."];
        }

        if (report.StartedAt > report.FinishedAt)
        {
            errors["startedAt"] = ["startedAt must not be after finishedAt."];
        }

        return errors;
    }

    private static bool IsText(string? value) => value is { Length: > 0 and <= MaxText } && !FreeText.HasControlCharacters(value);
}
