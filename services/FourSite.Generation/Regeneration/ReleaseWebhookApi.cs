using System.Text.Json;
using FourSite.Generation.GitHub;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Regeneration;

/// <summary>
/// <c>POST /api/github/webhook</c>: GitHub's deliveries, signed with the shared secret. A published release regenerates
/// every verified site of its repository in place, once per delivery.
/// </summary>
public static partial class ReleaseWebhookApi
{
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Release notes past this many characters are cut: an announcement's body may be at most 100 KB.</summary>
    public const int MaxNotesLength = 90_000;

    public static IEndpointRouteBuilder MapReleaseWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/github/webhook", Receive)
            .Requires(Credential.Signature)
            .WithTags("GitHub")
            .WithName("ReceiveGitHubWebhook")
            .WithSummary("GitHub's webhook (X-Hub-Signature-256 checked): ping answers; a published release regenerates the repository's verified sites.")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        return app;
    }

    public static async Task<IResult> Receive(HttpContext context, RegenerationStore regenerations, IOptionsMonitor<GitHubOptions> gitHub, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        var secret = gitHub.CurrentValue.WebhookSecret;
        if (string.IsNullOrEmpty(secret))
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "webhook_not_configured", "GitHub webhooks are not set up here (no FourSite__GitHub__WebhookSecret).");
        }

        if (!GitHubSignature.IsValid(secret, context.Request.Headers[GitHubSignature.Header], buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return Problems.Of(StatusCodes.Status401Unauthorized, "invalid_signature", $"The {GitHubSignature.Header} signature does not match this body and the configured secret.");
        }

        var gitHubEvent = context.Request.Headers["X-GitHub-Event"].ToString();
        var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
        if (delivery.Length is 0 or > 100)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_delivery", "X-GitHub-Delivery must name the delivery.");
        }

        if (gitHubEvent == "ping")
        {
            return TypedResults.Ok(new { ok = true });
        }

        if (gitHubEvent != "release")
        {
            return TypedResults.Ok(new { ignored = gitHubEvent });
        }

        ReleaseEvent? release;
        try
        {
            release = JsonSerializer.Deserialize<ReleaseEvent>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_payload", "The release event is not valid JSON.");
        }

        if (release?.Repository?.Name is not { Length: > 0 } name || release.Repository.Owner?.Login is not { Length: > 0 } owner)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_payload", "The release event names no repository.");
        }

        if (release.Action != "published")
        {
            return TypedResults.Ok(new { ignored = $"release.{release.Action}" });
        }

        var tag = release.Release?.TagName ?? release.Release?.Name ?? "";
        var notes = release.Release?.Body is { Length: > MaxNotesLength } tooLong ? tooLong[..MaxNotesLength] : release.Release?.Body;
        var queued = await regenerations.ReleasePublishedAsync(delivery, owner, name, new PublishedRelease(tag, notes, release.Release?.HtmlUrl), cancellationToken);
        LogRelease(logs.CreateLogger(typeof(ReleaseWebhookApi)), owner, name, tag, delivery, queued?.Count);
        return queued is null
            ? TypedResults.Ok(new { duplicate = true, regenerating = 0 })
            : TypedResults.Accepted((string?)null, new { regenerating = queued.Count, jobs = queued.Select(job => new { job.Id, siteId = job.RegeneratesSiteId }) });
    }

    /// <summary>The parts of GitHub's <c>release</c> event that matter here.</summary>
    public sealed record ReleaseEvent(string? Action, ReleaseInfo? Release, RepositoryInfo? Repository);

    public sealed record ReleaseInfo(
        [property: System.Text.Json.Serialization.JsonPropertyName("tag_name")] string? TagName,
        string? Name,
        string? Body,
        [property: System.Text.Json.Serialization.JsonPropertyName("html_url")] string? HtmlUrl);

    public sealed record RepositoryInfo(string? Name, OwnerInfo? Owner);

    public sealed record OwnerInfo(string? Login);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release {Tag} of {Owner}/{Repository} (delivery {Delivery}): {Queued} verified sites regenerating (null: delivery seen before)")]
    private static partial void LogRelease(ILogger logger, string owner, string repository, string tag, string delivery, int? queued);
}
