using FourSite.Generation.Rendering;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;

namespace FourSite.Generation.Content;

/// <summary>
/// <c>/api/sites/{siteId}/content</c> (the owner: the owning account or the owner token): the copy the writer produced,
/// the fields the owner wrote over it and the history of edits; an edit (<c>PATCH</c>) and a restore of an earlier one.
/// Each re-renders the page, and so the social card, at once.
/// </summary>
public static partial class ContentApi
{
    /// <summary>Brings back the overrides an earlier edit left.</summary>
    public sealed record RestoreRequest(Guid? EditId);

    public static IEndpointRouteBuilder MapContentApi(this IEndpointRouteBuilder app)
    {
        var content = app.MapGroup("/api/sites/{siteId:guid}/content").WithTags("Sites").RequireSiteOwner(UnknownSite.NotFound);
        content.MapGet("/", Read).WithName("GetSiteContent").WithSummary("The writer's copy, the owner's overrides and the edits so far.");
        content.MapPatch("/", Edit).WithName("EditSiteContent").WithSummary("Write title, tagline, description, features or call to action over the generated copy, or hand fields back to the writer.");
        content.MapPost("/restore", Restore).WithName("RestoreSiteContent").WithSummary("Bring back the copy an earlier edit left.");
        return app;
    }

    public static async Task<IResult> Read(Guid siteId, ContentStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(siteId, cancellationToken) is { } content ? TypedResults.Ok(View(content)) : NotFound();

    public static async Task<IResult> Edit(Guid siteId, ContentEdit? edit, ContentStore store, HttpContext context, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (edit is null)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["content"] = ["Send the fields to write as JSON."] });
        }

        return await SaveAsync(siteId, store, context, logs, current => edit.ApplyTo(current), cancellationToken);
    }

    public static async Task<IResult> Restore(Guid siteId, RestoreRequest? request, ContentStore store, HttpContext context, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (request?.EditId is not { } editId)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["editId"] = ["Name the edit to bring back (an id from the history)."] });
        }

        if (await store.EditOfAsync(siteId, editId, cancellationToken) is not { } earlier)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "edit_not_found", "This site has no such edit.");
        }

        return await SaveAsync(siteId, store, context, logs, _ => (earlier, []), cancellationToken);
    }

    private static async Task<IResult> SaveAsync(Guid siteId, ContentStore store, HttpContext context, ILoggerFactory logs,
        Func<ContentOverrides, (ContentOverrides? Next, Dictionary<string, string[]> Errors)> change, CancellationToken cancellationToken)
    {
        var editor = context.User.FindFirst(AccountTokens.LoginClaim)?.Value is { Length: > 0 } login ? login : "owner token";
        var saved = await store.EditAsync(siteId, editor, change, (slug, data) => SitePage.Render(siteId, slug, data), cancellationToken);
        if (saved is not { } outcome)
        {
            return NotFound();
        }

        if (outcome.Errors is { } errors)
        {
            return Problems.Validation(errors);
        }

        LogEdited(logs.CreateLogger(typeof(ContentApi)), siteId, string.Join(", ", outcome.Overrides!.Edited), editor);
        return TypedResults.Ok(View((await store.FindAsync(siteId, cancellationToken))!));
    }

    private static object View(SiteContent content) => new
    {
        written = new { content.Written.Title, content.Written.Tagline, content.Written.Description, content.Written.Features, content.Written.CallToAction },
        overrides = content.Overrides,
        edited = content.Overrides.Edited,
        history = content.History.Select(edit => new { edit.Id, edit.EditedAt, edit.EditedBy, edited = edit.Overrides.Edited, edit.Overrides }),
    };

    private static IResult NotFound() => Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId}'s copy edited ({Fields} written by the owner) by {Editor}")]
    private static partial void LogEdited(ILogger logger, Guid siteId, string fields, string editor);
}
