using System.Globalization;
using System.Text;
using FourSite.Leads.Notifications;
using FourSite.Leads.Ownership;
using FourSite.Leads.Subscriptions;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FourSite.Leads.Announcements;

/// <summary>
/// <c>/api/sites/{siteId}/announcements</c>: a site's news to its confirmed subscribers. Its owner sees the history and
/// subscriber counts; only its verified maintainer, signed in, may preview, test, send or change the release setting,
/// so nobody can mass-mail another project's visitors.
/// </summary>
public static class AnnouncementsApi
{
    public const int MaxMarkdownBytes = 100 * 1024;

    public static IEndpointRouteBuilder MapAnnouncementsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites/{siteId}/announcements").WithTags("Announcements").RequireSiteOwner(UnknownSite.NotYetKnown);
        api.MapGet("/", List).WithName("ListAnnouncements").WithSummary("The site's announcements, newest first, with what became of their emails.");
        api.MapPost("/", Create).WithName("SendAnnouncement")
            .WithSummary("Sends an announcement to the maintainer (audience test) or to the site's confirmed subscribers (verified maintainer only).")
            .WithMetadata(new RequestSizeLimitAttribute(4 * MaxMarkdownBytes));
        api.MapPost("/preview", Preview).WithName("PreviewAnnouncement").WithSummary("The announcement as it would be emailed: HTML and plain text.")
            .WithMetadata(new RequestSizeLimitAttribute(4 * MaxMarkdownBytes));
        api.MapGet("/subscribers", Subscribers).WithName("CountSubscribers").WithSummary("The site's subscribers: pending, confirmed, unsubscribed, suppressed.");
        api.MapGet("/settings", GetSettings).WithName("GetAnnouncementSettings").WithSummary("What the site does with its repository's releases.");
        api.MapPut("/settings", PutSettings).WithName("PutAnnouncementSettings").WithSummary("releases: auto (sent at once), review (drafted, the default) or off.");
        api.MapPost("/{announcementId}/send", SendDraft).WithName("SendAnnouncementDraft").WithSummary("Sends a draft (optionally edited) to the site's confirmed subscribers.")
            .WithMetadata(new RequestSizeLimitAttribute(4 * MaxMarkdownBytes));
        api.MapDelete("/{announcementId}", Discard).WithName("DiscardAnnouncementDraft").WithSummary("Discards a draft.");
        return app;
    }

    public static async Task<IResult> List(string siteId, AnnouncementStore announcements, CancellationToken cancellationToken) =>
        TypedResults.Ok(await announcements.ListAsync(Guid.Parse(siteId), cancellationToken));

    public static async Task<IResult> Subscribers(string siteId, SubscriptionStore subscriptions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await subscriptions.CountAsync(Guid.Parse(siteId), cancellationToken));

    public static async Task<IResult> GetSettings(string siteId, AnnouncementStore announcements, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AnnouncementSettings(await announcements.ReleaseSettingAsync(Guid.Parse(siteId), cancellationToken)));

    public static async Task<IResult> PutSettings(string siteId, AnnouncementSettingsRequest? request, HttpContext context, SiteOwnerStore owners, AnnouncementStore announcements, CancellationToken cancellationToken)
    {
        if (await RequireVerifiedMaintainerAsync(context, Guid.Parse(siteId), owners, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (request?.Releases is not { } releases || !ReleaseSetting.All.Contains(releases))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["releases"] = ["releases must be auto, review or off."] });
        }

        await announcements.SetReleaseSettingAsync(Guid.Parse(siteId), releases, cancellationToken);
        return TypedResults.Ok(new AnnouncementSettings(releases));
    }

    public static async Task<IResult> Preview(string siteId, AnnouncementRequest? request, HttpContext context, SiteOwnerStore owners, CancellationToken cancellationToken)
    {
        if ((await RequireVerifiedMaintainerAsync(context, Guid.Parse(siteId), owners, cancellationToken) ?? Invalid(request?.Subject, request?.Markdown)) is { } refusal)
        {
            return refusal;
        }

        var rendered = AnnouncementMarkdown.Render(request!.Markdown!);
        return TypedResults.Ok(new PreviewResponse(request.Subject!, rendered.Html, rendered.Text));
    }

    /// <summary>What <see cref="Create"/> works with.</summary>
    public sealed record SendServices(SiteOwnerStore Owners, AnnouncementStore Announcements, NotificationStore Notifications);

    public static async Task<IResult> Create(string siteId, AnnouncementRequest? request, HttpContext context, [AsParameters] SendServices services, CancellationToken cancellationToken)
    {
        if ((await RequireVerifiedMaintainerAsync(context, Guid.Parse(siteId), services.Owners, cancellationToken) ?? Invalid(request?.Subject, request?.Markdown)) is { } refusal)
        {
            return refusal;
        }

        var site = Guid.Parse(siteId);
        var account = context.AccountId()!.Value;
        switch (request!.Audience)
        {
            case "test":
                if (await services.Notifications.FindAddressAsync(account, cancellationToken) is not { Verified: true } address)
                {
                    return Problems.Of(StatusCodes.Status409Conflict, "notification_address_required",
                        "A test goes to your own verified address: set one first (PUT /api/notifications/address) and follow the link sent to it.");
                }

                var testId = await services.Announcements.SendTestAsync(site, account, request.Subject!, request.Markdown!, address, cancellationToken);
                return TypedResults.Accepted($"/api/sites/{siteId}/announcements", new AnnouncementQueued(testId, "test", 1));
            case "subscribers":
                return Queued(context, site, await services.Announcements.BroadcastAsync(site, account, request.Subject!, request.Markdown!, cancellationToken));
            default:
                return Problems.Validation(new Dictionary<string, string[]> { ["audience"] = ["audience must be test or subscribers."] });
        }
    }

    public static async Task<IResult> SendDraft(string siteId, string announcementId, DraftSendRequest? request, HttpContext context, SiteOwnerStore owners, AnnouncementStore announcements, CancellationToken cancellationToken)
    {
        if (await RequireVerifiedMaintainerAsync(context, Guid.Parse(siteId), owners, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        if (!Guid.TryParse(announcementId, out var id))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_id", "announcementId must be a UUID.");
        }

        if ((request?.Subject is not null || request?.Markdown is not null) && Invalid(request.Subject ?? "unchanged", request.Markdown ?? "") is { } invalid)
        {
            return invalid;
        }

        var outcome = await announcements.SendDraftAsync(Guid.Parse(siteId), id, request?.Subject, request?.Markdown, cancellationToken);
        return outcome is null
            ? Problems.Of(StatusCodes.Status404NotFound, "draft_not_found", "This site has no such draft (it may have been sent or discarded).")
            : Queued(context, Guid.Parse(siteId), outcome);
    }

    public static async Task<IResult> Discard(string siteId, string announcementId, HttpContext context, SiteOwnerStore owners, AnnouncementStore announcements, CancellationToken cancellationToken)
    {
        if (await RequireVerifiedMaintainerAsync(context, Guid.Parse(siteId), owners, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        return Guid.TryParse(announcementId, out var id) && await announcements.DiscardAsync(Guid.Parse(siteId), id, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.Of(StatusCodes.Status404NotFound, "draft_not_found", "This site has no such draft (it may have been sent or discarded).");
    }

    private static IResult Queued(HttpContext context, Guid siteId, BroadcastOutcome outcome)
    {
        if (outcome.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "broadcast_limit",
                "This site has sent as many announcements to its subscribers as it may in 24 hours; try again after the time in Retry-After.");
        }

        return TypedResults.Accepted($"/api/sites/{siteId}/announcements", new AnnouncementQueued(outcome.AnnouncementId, "subscribers", outcome.Recipients));
    }

    /// <summary>The subject and body checks: one clean line, and a body of at most 100 KB.</summary>
    private static IResult? Invalid(string? subject, string? markdown)
    {
        if (markdown is not null && Encoding.UTF8.GetByteCount(markdown) > MaxMarkdownBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "markdown_too_large", $"markdown may be at most {MaxMarkdownBytes / 1024} KB.");
        }

        var errors = new Dictionary<string, string[]>();
        if (!Subjects.IsValid(subject))
        {
            errors["subject"] = [$"subject must be one line of 1 to {Subjects.MaxLength} characters, with no line breaks or control characters."];
        }

        if (string.IsNullOrWhiteSpace(markdown))
        {
            errors["markdown"] = ["markdown must not be empty."];
        }

        return errors.Count == 0 ? null : Problems.Validation(errors);
    }

    /// <summary>Only the site's verified maintainer, signed in: not a token holder, not an owner whose site is unverified.</summary>
    private static async Task<IResult?> RequireVerifiedMaintainerAsync(HttpContext context, Guid siteId, SiteOwnerStore owners, CancellationToken cancellationToken)
    {
        var owner = await owners.FindAsync(siteId, cancellationToken);
        return owner?.ShowsEmailsTo(context.AccountId()) == true
            ? null
            : Problems.Of(StatusCodes.Status403Forbidden, "not_a_verified_maintainer",
                "Only the site's verified maintainer, signed in, may email its subscribers (verify your GitHub permission on the dashboard first).");
    }
}
