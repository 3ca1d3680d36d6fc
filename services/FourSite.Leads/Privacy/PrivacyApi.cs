using FourSite.ServiceDefaults.Identity;
using System.Globalization;
using System.Text.Encodings.Web;
using FourSite.Contracts.Leads;
using FourSite.Leads.Capture;
using FourSite.Leads.Email;
using FourSite.ServiceDefaults.Http;
using Microsoft.Net.Http.Headers;
using static FourSite.Leads.Email.EmailPage;

namespace FourSite.Leads.Privacy;

/// <summary>
/// A person's own data: <c>POST /api/privacy/requests</c> emails a link to the address given (the answer is the same
/// whatever FourSite holds), and the link's page <c>/privacy/{token}</c> shows what is held, downloads it as JSON, and
/// erases it everywhere or from one site. Only POSTs erase; a GET (a mail scanner's, too) changes nothing.
/// </summary>
public static partial class PrivacyApi
{
    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/privacy/requests", Request)
            .WithTags("Privacy")
            .WithName("RequestMyData")
            .WithSummary("Emails the address a link to see, download and erase what FourSite holds about it; 202 whatever is held.");

        var pages = app.MapGroup("/privacy").WithTags("Privacy").DisableAntiforgery();
        pages.MapGet("/{token}", ShowData).WithName("ShowMyData").WithSummary("What FourSite holds about the link's address (changes nothing).");
        pages.MapGet("/{token}/export", Export).WithName("ExportMyData").WithSummary("The same, as a JSON download.");
        pages.MapPost("/{token}/erase", Erase).WithName("EraseMyData").WithSummary("Erases it all, or (form field site) what one site holds.");
        return app;
    }

    /// <summary>The body of a request.</summary>
    public sealed record PrivacyRequest(string? Email);

    public static async Task<IResult> Request(PrivacyRequest request, PrivacyStore privacy, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!EmailIdentity.IsValid(request.Email))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_email", "email must be a valid email address.");
        }

        var email = request.Email!.Trim();
        var sent = await privacy.RequestAsync(email, EmailIdentity.Normalise(email), cancellationToken);
        LogRequested(logs.CreateLogger(typeof(PrivacyApi)), sent);
        return TypedResults.Accepted((string?)null, new { received = true });
    }

    public static async Task<IResult> ShowData(string token, HttpContext context, PrivacyStore privacy, CancellationToken cancellationToken)
    {
        var (state, address) = await privacy.FindAsync(token, cancellationToken);
        if (Refusal(context, state) is { } refusal)
        {
            return refusal;
        }

        var data = await privacy.GatherAsync(address!, cancellationToken);
        var html = HtmlEncoder.Default;
        var body = Text($"What FourSite holds about {address}.");
        if (data.Leads.Count == 0 && data.Subscriptions.Count == 0)
        {
            body += Text("Nothing: no project page holds this address.");
        }

        foreach (var lead in data.Leads)
        {
            var subscription = data.Subscriptions.FirstOrDefault(item => item.SiteId == lead.SiteId);
            body += $"<section class=\"card\" data-testid=\"privacy-site\"><h2>{html.Encode(lead.Project ?? "A project page")}</h2>"
                + Text($"Signed up {Day(lead.CapturedAt)} as {lead.Email}; {lead.CaptureCount} visit(s) with the form; asked for news: {(lead.NewsletterOptIn ? "yes" : "no")}.")
                + (lead.ConsentWording is null ? "" : Text($"The form told you: \u201c{lead.ConsentWording}\u201d ({lead.ConsentVersion}){(lead.ConsentPage is null ? "" : $" on {lead.ConsentPage}")}."))
                + (subscription is null ? "" : Text($"News: {subscription.Status}. You agreed to: \u201c{subscription.ConsentWording}\u201d ({subscription.ConsentVersion}) on {Day(subscription.CapturedAt)}"
                    + (subscription.ConfirmedAt is { } confirmed ? $", confirmed {Day(confirmed)}." : ".")))
                + EraseForm(token, lead.SiteId, $"Erase me from {lead.Project ?? "this page"}", "privacy-erase-site")
                + "</section>";
        }

        foreach (var subscription in data.Subscriptions.Where(item => data.Leads.All(lead => lead.SiteId != item.SiteId)))
        {
            body += $"<section class=\"card\" data-testid=\"privacy-site\"><h2>{html.Encode(subscription.Project ?? "A project page")}</h2>"
                + Text($"News: {subscription.Status}. You agreed to: \u201c{subscription.ConsentWording}\u201d on {Day(subscription.CapturedAt)}.")
                + EraseForm(token, subscription.SiteId, $"Erase me from {subscription.Project ?? "this page"}", "privacy-erase-site") + "</section>";
        }

        body += $"<p><a href=\"/privacy/{html.Encode(token)}/export\" data-testid=\"privacy-download\" download>Download it all (JSON)</a></p>"
            + EraseForm(token, null, "Erase everything, from every page", "privacy-erase-all");
        return Show(context, StatusCodes.Status200OK, "Your data", body);
    }

    public static async Task<IResult> Export(string token, HttpContext context, PrivacyStore privacy, CancellationToken cancellationToken)
    {
        var (state, address) = await privacy.FindAsync(token, cancellationToken);
        if (Refusal(context, state) is { } refusal)
        {
            return refusal;
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = "foursite-my-data.json" }.ToString();
        return TypedResults.Ok(new { email = address, exportedAt = DateTimeOffset.UtcNow, data = await privacy.GatherAsync(address!, cancellationToken) });
    }

    public static async Task<IResult> Erase(string token, HttpContext context, PrivacyStore privacy, LeadStore leads, TimeProvider clock, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (state, address) = await privacy.FindAsync(token, cancellationToken);
        if (Refusal(context, state) is { } refusal)
        {
            return refusal;
        }

        Guid? siteId = null;
        if (context.Request.HasFormContentType && (await context.Request.ReadFormAsync(cancellationToken))["site"].ToString() is { Length: > 0 } site)
        {
            if (!Guid.TryParse(site, out var parsed))
            {
                return Show(context, StatusCodes.Status400BadRequest, "That is not a page of yours", Text("Nothing was erased."));
            }

            siteId = parsed;
        }

        var erased = await leads.ErasePersonAsync(address!, new LeadErased(EmailIdentity.PersonHash(address!), 0, clock.GetUtcNow(), siteId), cancellationToken);
        LogErased(logs.CreateLogger(typeof(PrivacyApi)), erased, siteId is null ? "every site" : "one site");
        return siteId is null
            ? Show(context, StatusCodes.Status200OK, "Erased", Text($"Everything FourSite held about {address} is gone, from every page ({erased} sign-up(s)). This link no longer works."))
            : Show(context, StatusCodes.Status200OK, "Erased from that page", Text("That page no longer holds your address.")
                + $"<p><a href=\"/privacy/{HtmlEncoder.Default.Encode(token)}\">Back to your data</a></p>");
    }

    private static string EraseForm(string token, Guid? siteId, string label, string testId) =>
        $"<form method=\"post\" action=\"/privacy/{HtmlEncoder.Default.Encode(token)}/erase\">"
        + (siteId is { } site ? $"<input type=\"hidden\" name=\"site\" value=\"{site}\">" : "")
        + $"<button type=\"submit\" class=\"secondary\" data-testid=\"{testId}\">{HtmlEncoder.Default.Encode(label)}</button></form>";

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IResult? Refusal(HttpContext context, LinkState state) => state switch
    {
        LinkState.Unknown => Show(context, StatusCodes.Status400BadRequest, "This link is not valid", Text("It may be incomplete, or no longer in use. Nothing was shown or changed.")),
        LinkState.Expired => Show(context, StatusCodes.Status410Gone, "This link has expired",
            Text("Links to your data work for 24 hours. Ask for a new one on FourSite's \u201cYour data\u201d page; nothing was changed.")),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "A person asked for their data (link sent: {Sent})")]
    private static partial void LogRequested(ILogger logger, bool sent);

    [LoggerMessage(Level = LogLevel.Information, Message = "A person erased their data: {Erased} lead(s), from {Scope}")]
    private static partial void LogErased(ILogger logger, int erased, string scope);
}
