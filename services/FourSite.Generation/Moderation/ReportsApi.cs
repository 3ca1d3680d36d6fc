using System.Globalization;
using FourSite.Generation.Pipeline;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Moderation;

/// <summary><c>POST /api/sites/{siteId}/reports</c>: anyone reports a page they think abusive; operators find it in the moderation queue.</summary>
public static partial class ReportsApi
{
    public static readonly IReadOnlyList<string> Reasons = ["phishing", "malware", "impersonation", "spam", "copyright", "other"];

    public const int MaxDetails = 2000;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sites/{siteId:guid}/reports", Report)
            .WithTags("Moderation")
            .WithName("ReportSite")
            .WithSummary("Reports a page (reason: phishing, malware, impersonation, spam, copyright or other). Once per site and network; a few an hour per network.");
        return app;
    }

    /// <summary>The body of a report.</summary>
    public sealed record ReportRequest(string? Reason, string? Details, string? Contact);

    public static async Task<IResult> Report(Guid siteId, ReportRequest request, HttpContext context, ModerationStore moderation, IOptionsMonitor<AbuseOptions> options,
        GenerationTelemetry telemetry, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var network = ClientNetwork.Of(context.Connection.RemoteIpAddress) ?? "unknown";
        var report = new SiteReport(Guid.CreateVersion7(), siteId, network, request.Reason!, Trimmed(request.Details), Trimmed(request.Contact));
        var outcome = await moderation.ReportAsync(report, options.CurrentValue.ReportsPerNetworkPerHour, cancellationToken);
        if (outcome.State == ReportState.SiteNotFound)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");
        }

        if (outcome.State == ReportState.TooMany)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(outcome.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "too_many_reports", "Too many reports from your network.", "Please try again later.");
        }

        telemetry.Moderation("report");
        LogReported(logs.CreateLogger(typeof(ReportsApi)), siteId, report.Reason);
        return TypedResults.Accepted((string?)null, new { received = true });
    }

    private static Dictionary<string, string[]> Validate(ReportRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Reason is null || !Reasons.Contains(request.Reason))
        {
            errors["reason"] = [$"reason must be one of: {string.Join(", ", Reasons)}."];
        }

        if (request.Details?.Length > MaxDetails || FreeText.HasControlCharacters(request.Details))
        {
            errors["details"] = [$"details must be at most {MaxDetails} characters of text."];
        }

        if (Trimmed(request.Contact) is { } contact && !EmailIdentity.IsValid(contact))
        {
            errors["contact"] = ["contact must be an email address."];
        }

        return errors;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId} reported ({Reason})")]
    private static partial void LogReported(ILogger logger, Guid siteId, string reason);
}
