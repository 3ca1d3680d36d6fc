using FourSite.Generation.Pipeline;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Moderation;

/// <summary>
/// <c>/api/moderation</c>, for operators (the operator key, or a signed-in operator account): the queue of reported sites,
/// suspending, reinstating and removing a site, blocking repositories, owners and accounts, and the audit log of it all.
/// </summary>
public static partial class ModerationApi
{
    public const int MaxReason = 1000;

    public static IEndpointRouteBuilder MapModerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/moderation").WithTags("Moderation").RequireOperatorKey();

        api.MapGet("/reports", Reports)
            .WithName("GetModerationQueue")
            .WithSummary("Reported sites, most reported first: state=open (default) or resolved.");

        api.MapPost("/sites/{siteId:guid}/suspend", Suspend)
            .WithName("SuspendSite")
            .WithSummary("Suspends a site: kind abuse (page 410) or legal (page 451), with a reason. Its API, captures, custom domains and showcase place go with it.");

        api.MapPost("/sites/{siteId:guid}/restore", Restore)
            .WithName("ReinstateSite")
            .WithSummary("Lifts a site's suspension, or keeps a reported site up; either way its open reports close.");

        api.MapDelete("/sites/{siteId:guid}", Remove)
            .WithName("RemoveSiteByOperator")
            .WithSummary("Removes a site for good, as its owner could (body or query: reason).");

        api.MapGet("/actions", Actions)
            .WithName("GetModerationActions")
            .WithSummary("The audit log: every operator action, newest first (who, when, what, why).");

        api.MapPost("/blocks", AddBlock)
            .WithName("AddBlock")
            .WithSummary("Blocks a repository (owner/name), a GitHub owner or an account (GitHub login): its new generations answer 403 blocked; suspendExisting suspends its live sites.");

        api.MapGet("/blocks", Blocks)
            .WithName("GetBlocks")
            .WithSummary("The blocks in force.");

        api.MapDelete("/blocks/{id:guid}", RemoveBlock)
            .WithName("RemoveBlock")
            .WithSummary("Lifts a block.");

        return app;
    }

    /// <summary>The body of a suspension.</summary>
    public sealed record SuspendRequest(string? Kind, string? Reason);

    /// <summary>The body of a reinstatement or removal.</summary>
    public sealed record ReasonRequest(string? Reason);

    /// <summary>The body of a block.</summary>
    public sealed record BlockRequest(string? Kind, string? Value, string? Reason, bool SuspendExisting = false);

    public static async Task<IResult> Reports(string? state, ModerationStore moderation, CancellationToken cancellationToken)
    {
        if (state is not (null or "open" or "resolved"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["state"] = ["state must be open or resolved."] });
        }

        var queue = await moderation.QueueAsync(state != "resolved", cancellationToken);
        return TypedResults.Ok(queue.Select(site => new
        {
            site.SiteId,
            site.Slug,
            site.Repository,
            state = site.Suspension is null ? "live" : "suspended",
            suspension = site.Suspension,
            site.Reports,
            lastReportedAt = Utc(site.LastReportedAt),
            reasons = site.Items.GroupBy(item => item.Reason).ToDictionary(reason => reason.Key, reason => reason.Count()),
            items = site.Items.Select(item => new { item.Id, item.Reason, item.Details, item.Contact, reportedAt = Utc(item.CreatedAt), resolvedAt = Utc(item.ResolvedAt) }),
        }));
    }

    public static async Task<IResult> Suspend(Guid siteId, SuspendRequest request, HttpContext context, ModerationStore moderation, GenerationTelemetry telemetry,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is not (SuspendedPage.Abuse or SuspendedPage.Legal))
        {
            errors["kind"] = ["kind must be abuse or legal."];
        }

        AddReasonError(request.Reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var actor = OperatorName.Of(context);
        if (!await moderation.SuspendAsync(siteId, request.Kind!, request.Reason!.Trim(), actor, cancellationToken))
        {
            return SiteNotFound();
        }

        telemetry.Moderation("suspend");
        LogAction(logs.CreateLogger(typeof(ModerationApi)), "suspended", siteId, actor);
        return TypedResults.Ok(new { siteId, state = "suspended", kind = request.Kind, reason = request.Reason.Trim() });
    }

    public static async Task<IResult> Restore(Guid siteId, ReasonRequest request, HttpContext context, ModerationStore moderation, GenerationTelemetry telemetry,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AddReasonError(request.Reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var actor = OperatorName.Of(context);
        if (!await moderation.ReinstateAsync(siteId, request.Reason!.Trim(), actor, cancellationToken))
        {
            return SiteNotFound();
        }

        telemetry.Moderation("restore");
        LogAction(logs.CreateLogger(typeof(ModerationApi)), "restored", siteId, actor);
        return TypedResults.Ok(new { siteId, state = "live" });
    }

    public static async Task<IResult> Remove(Guid siteId, string? reason, HttpContext context, ModerationStore moderation, GenerationTelemetry telemetry,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AddReasonError(reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var actor = OperatorName.Of(context);
        if (!await moderation.RemoveAsync(siteId, reason!.Trim(), actor, cancellationToken))
        {
            return SiteNotFound();
        }

        telemetry.Moderation("remove");
        telemetry.SiteRemoved();
        LogAction(logs.CreateLogger(typeof(ModerationApi)), "removed", siteId, actor);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> Actions(int? limit, ModerationStore moderation, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 1000."] });
        }

        var actions = await moderation.ActionsAsync(limit ?? 200, cancellationToken);
        return TypedResults.Ok(actions.Select(action => new { action.Id, action.Action, action.SiteId, action.Subject, action.Reason, action.Actor, at = Utc(action.CreatedAt) }));
    }

    public static async Task<IResult> AddBlock(BlockRequest request, HttpContext context, BlockStore blocks, GenerationTelemetry telemetry, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var value = BlockValue.Normalize(request.Kind, request.Value, errors);
        AddReasonError(request.Reason, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (block, suspended) = await blocks.AddAsync(request.Kind!, value!, request.Reason!.Trim(), request.SuspendExisting, OperatorName.Of(context), cancellationToken);
        telemetry.Moderation("block");
        return TypedResults.Created($"/api/moderation/blocks/{block.Id}", new { block.Id, block.Kind, block.Value, block.Reason, block.Actor, createdAt = Utc(block.CreatedAt), suspended });
    }

    public static async Task<IResult> Blocks(BlockStore blocks, CancellationToken cancellationToken) =>
        TypedResults.Ok((await blocks.ListAsync(cancellationToken)).Select(block => new { block.Id, block.Kind, block.Value, block.Reason, block.Actor, createdAt = Utc(block.CreatedAt) }));

    public static async Task<IResult> RemoveBlock(Guid id, HttpContext context, BlockStore blocks, GenerationTelemetry telemetry, CancellationToken cancellationToken)
    {
        if (!await blocks.RemoveAsync(id, OperatorName.Of(context), cancellationToken))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "block_not_found", "No such block.");
        }

        telemetry.Moderation("unblock");
        return TypedResults.NoContent();
    }

    private static void AddReasonError(string? reason, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReason || FreeText.HasControlCharacters(reason))
        {
            errors["reason"] = [$"reason is required, at most {MaxReason} characters: it is kept in the audit log and shown to the owner."];
        }
    }

    private static IResult SiteNotFound() => Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId} {Action} by {Actor}")]
    private static partial void LogAction(ILogger logger, string action, Guid siteId, string actor);
}
