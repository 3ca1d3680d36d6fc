using System.Text;
using FluentValidation;
using FourSite.Contracts.Leads;
using FourSite.Leads.Identity;
using FourSite.Leads.Ownership;
using FourSite.Leads.Scoring;
using FourSite.Leads.Subscriptions;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Leads.Capture;

/// <summary>
/// <c>/api/leads</c>: capture (public), a site's leads and their export (its owner), export and erasure of a person (operators).
/// </summary>
public static class LeadsApi
{
    public const int PageSize = 50;
    public const long MaxCaptureBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads");

        api.MapPost("/capture", Capture)
            .WithName("CaptureLead")
            .WithSummary("Capture a visitor's email with their interests and engagement; repeats merge into one lead.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxCaptureBodyBytes));

        api.MapGet("/", ListForSite)
            .Requires(Credential.SiteOwner)
            .WithName("ListSiteLeads")
            .WithSummary("A site's leads, best first (the site's owner token as Bearer).");

        api.MapGet("/export", Export)
            .Requires(Credential.SiteOwner, Credential.OperatorKey)
            .WithName("ExportLeads")
            .WithSummary("With siteId: every lead of the site, streamed as CSV or JSON (its owner; emails as the list shows them). With email: everything held about one address (operator key).");

        api.MapDelete("/", Erase)
            .WithName("ErasePerson")
            .WithSummary("Forget one email address here and in every service (operator key).")
            .RequireOperatorKey();

        return app;
    }

    /// <summary>What <see cref="Capture"/> works with.</summary>
    public sealed record CaptureServices(IValidator<CaptureRequest> Validator, LeadStore Leads, LeadsTelemetry Telemetry, TimeProvider Clock);

    public static async Task<IResult> Capture(CaptureRequest request, [AsParameters] CaptureServices services, HttpContext context, CancellationToken cancellationToken)
    {
        var validation = await services.Validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        var metadata = request.Metadata;
        var normalised = EmailIdentity.Normalise(request.Email!);
        var engagement = new Engagement(
            request.NewsletterOptIn ?? false,
            request.ProjectInterests ?? [],
            request.SocialPlatforms ?? [],
            metadata?.TimeOnSite ?? 0,
            metadata?.ScrollDepth ?? 0,
            metadata?.InteractionCount ?? 0,
            metadata?.SectionsViewed ?? []);
        var network = ClientNetwork.Of(context.Connection.RemoteIpAddress);
        var capture = new NewCapture(
            Guid.Parse(request.SiteId!),
            request.Email!.Trim(),
            normalised,
            request.ProjectType,
            request.Template,
            request.ReferralCode,
            engagement,
            new CaptureContext(metadata?.DeviceType, metadata?.ScreenResolution, metadata?.Timezone, metadata?.Language, metadata?.Referrer, metadata?.UserAgent, metadata?.SessionId),
            IsSpam: !string.IsNullOrWhiteSpace(request.Website),
            (request.CaptureTimestamp ?? services.Clock.GetUtcNow()).ToUniversalTime(),
            new ConsentRecord(request.ConsentVersion, services.Clock.GetUtcNow(), ConsentPage.Of(context.Request)),
            network);
        // The consent record keeps what the visitor's own browser said, not what the page's script reported.
        var optIn = engagement.NewsletterOptIn && !capture.IsSpam
            ? new OptIn(capture.SiteId, capture.Email, normalised, network, context.Request.Headers.UserAgent.ToString())
            : null;
        var outcome = await services.Leads.CaptureAsync(capture, (leadId, score, duplicate) => new LeadCaptured(
            leadId, capture.SiteId, EmailIdentity.PersonHash(normalised), score.Total, duplicate, engagement.NewsletterOptIn,
            capture.ProjectType, capture.Context.DeviceType, capture.ReferralCode, capture.Context.Referrer, capture.Context.SessionId,
            network, score.RiskFlags, capture.CapturedAt), optIn, cancellationToken);
        switch (outcome.RefusedBecause)
        {
            case "removed":
                return OwnerAccess.SiteRemoved();
            case "suspended":
                return Problems.Of(StatusCodes.Status410Gone, "site_suspended", "This site is suspended and takes no sign-ups.");
        }

        if (!capture.IsSpam)
        {
            services.Telemetry.Captured(capture.ProjectType, capture.Context.DeviceType, outcome.Duplicate, outcome.Score.Total);
        }

        // A bot that filled the honeypot is told it succeeded, so it learns nothing; its lead is never counted.
        return outcome.Duplicate
            ? TypedResults.Ok(new CaptureResponse(true, outcome.LeadId, outcome.Score.Total, outcome.Score.Breakdown, Duplicate: true))
            : TypedResults.Json(new CaptureResponse(true, outcome.LeadId, outcome.Score.Total, outcome.Score.Breakdown), statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> ListForSite(string? siteId, int? page, HttpContext context, SiteOwnerStore owners, LeadStore leads, CancellationToken cancellationToken)
    {
        if (!SiteAccess.HasCredentials(context))
        {
            return OwnerAccess.TokenRequired();
        }

        if (!Guid.TryParse(siteId, out var site) || page is < 1 or > 10_000)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_query", "siteId must be a UUID and page a number from 1.");
        }

        var (owner, refusal) = await SiteOwnerCheck.RequireAsync(context, site, owners.FindAsync, UnknownSite.NotYetKnown, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        // Emails only to the verified maintainers' account: a token holder, or an unverified site, sees who scored what, not who it is.
        var rows = await leads.ListForSiteAsync(site, page ?? 1, PageSize, cancellationToken);
        var showEmails = owner!.ShowsEmailsTo(context.AccountId());
        return TypedResults.Ok(rows.Select(row => showEmails ? View(row) : View(row) with { Email = EmailMask.Mask(row.Email) }).ToList());
    }

    /// <summary>What <see cref="Export"/> works with.</summary>
    public sealed record ExportServices(SiteOwnerStore Owners, LeadStore Leads, SubscriptionStore Subscriptions, IOptionsMonitor<OperatorOptions> Operator);

    public static async Task<IResult> Export(string? siteId, string? email, string? format, HttpContext context, [AsParameters] ExportServices services, CancellationToken cancellationToken)
    {
        if (format?.ToLowerInvariant() is not (null or "" or "json" or "csv"))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_format", "format must be json or csv.");
        }

        var csv = format?.ToLowerInvariant() == "csv";
        if (siteId is not null)
        {
            return await ExportSiteAsync(siteId, csv, context, services, cancellationToken);
        }

        if (OperatorKeyFilter.Check(context, services.Operator.CurrentValue) is { } denied)
        {
            return denied;
        }

        if (!EmailIdentity.IsValid(email))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_email", "email must be a valid email address.");
        }

        var normalised = EmailIdentity.Normalise(email!);
        var rows = (await services.Leads.FindPersonAsync(normalised, cancellationToken)).Select(View).ToList();
        if (csv)
        {
            return TypedResults.Text(LeadCsv.Write(rows), LeadCsv.ContentType);
        }

        // Each lead with the newsletter subscription (and its consent record) the person has on that site.
        var subscriptions = await services.Subscriptions.FindPersonAsync(normalised, cancellationToken);
        return TypedResults.Ok(rows.Select(row => row with { Subscription = subscriptions.FirstOrDefault(subscription => subscription.SiteId == row.SiteId) }).ToList());
    }

    /// <summary>Every lead of a site, written as it is read: 100,000 leads take no more memory than one.</summary>
    private static async Task<IResult> ExportSiteAsync(string siteId, bool csv, HttpContext context, ExportServices services, CancellationToken cancellationToken)
    {
        if (!SiteAccess.HasCredentials(context))
        {
            return OwnerAccess.TokenRequired();
        }

        if (!Guid.TryParse(siteId, out var site))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_query", "siteId must be a UUID.");
        }

        var (owner, refusal) = await SiteOwnerCheck.RequireAsync(context, site, services.Owners.FindAsync, UnknownSite.NotYetKnown, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var showEmails = owner!.ShowsEmailsTo(context.AccountId());
        var leads = services.Leads.StreamForSiteAsync(site, cancellationToken).Select(row => showEmails ? View(row) : View(row) with { Email = EmailMask.Mask(row.Email) });
        var fileName = $"leads-{site}.{(csv ? "csv" : "json")}";
        if (csv)
        {
            return TypedResults.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await LeadCsv.WriteAsync(leads, writer, cancellationToken);
            }, LeadCsv.ContentType, fileName);
        }

        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName }.ToString();
        return TypedResults.Ok(leads);
    }

    public static async Task<IResult> Erase(string? email, LeadStore leads, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!EmailIdentity.IsValid(email))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_email", "email must be a valid email address.");
        }

        var normalised = EmailIdentity.Normalise(email!);
        await leads.ErasePersonAsync(normalised, new LeadErased(EmailIdentity.PersonHash(normalised), 0, clock.GetUtcNow()), cancellationToken);
        return TypedResults.NoContent();
    }

    private static LeadView View(LeadRow row) => new(
        row.LeadId, row.SiteId, row.Email, row.LeadScore, row.NewsletterOptIn, row.ProjectInterests, row.SocialPlatforms, row.RiskFlags,
        row.CaptureCount, Utc(row.CapturedAt), Utc(row.UpdatedAt));
}
