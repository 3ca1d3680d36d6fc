using System.Globalization;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Metrics.Alerts;

/// <summary><c>/api/alerts</c>: the alerts the rules raised, and operators' silences of rules (operator only).</summary>
public static class AlertsApi
{
    private const int MaxReason = 500;

    public sealed record SilenceRequest(string? Rule, string? Duration, string? Reason);

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", List).WithTags("Operations").WithName("GetAlerts").RequireOperatorKey()
            .WithSummary("Alerts raised by the rules: open ones (state=open, the default) or the latest of any state (state=all); each says whether its rule is silenced.");
        app.MapGet("/api/alerts/silences", Silences).WithTags("Operations").WithName("GetAlertSilences").RequireOperatorKey()
            .WithSummary("Silences in force and those of the last week.");
        app.MapPost("/api/alerts/silences", Silence).WithTags("Operations").WithName("SilenceAlertRule").RequireOperatorKey()
            .WithSummary("Silence a rule for a while (at most a day): still evaluated and shown, not sent.");
        app.MapDelete("/api/alerts/silences/{id:guid}", Cancel).WithTags("Operations").WithName("CancelAlertSilence").RequireOperatorKey()
            .WithSummary("End a silence now.");
        return app;
    }

    public static async Task<IResult> List(string? state, AlertStore alerts, AlertSilences silences, AlertRuleSet rules, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (state is not (null or "open" or "all"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["state"] = ["state must be open or all."] });
        }

        var list = await alerts.ListAsync(state != "all", 200, cancellationToken);
        var now = clock.GetUtcNow();
        var silenced = (await silences.ListAsync(cancellationToken)).Where(silence => silence.Active(now))
            .GroupBy(silence => silence.Rule).ToDictionary(group => group.Key, group => group.Max(silence => silence.EndsAt));
        return TypedResults.Ok(new
        {
            success = true,
            data = list.Select(alert => new
            {
                alert.Id, alert.Rule, alert.Severity, alert.Message, alert.Value, alert.Threshold, alert.Channels, alert.RaisedAt, alert.ResolvedAt, alert.State,
                silencedUntil = silenced.TryGetValue(alert.Rule, out var until) ? until : (DateTimeOffset?)null,
            }),
            rules = rules.Rules,
        });
    }

    public static async Task<IResult> Silences(AlertSilences silences, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return TypedResults.Ok((await silences.ListAsync(cancellationToken)).Select(silence => Shown(silence, now)));
    }

    public static async Task<IResult> Silence(SilenceRequest request, AlertSilences silences, AlertRuleSet rules, HttpContext context, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Rule is null || rules.Rules.All(rule => rule.Name != request.Rule))
        {
            errors["rule"] = [$"rule must be one of: {string.Join(", ", rules.Rules.Select(rule => rule.Name))}."];
        }

        if (!TimeSpan.TryParse(request.Duration, CultureInfo.InvariantCulture, out var duration) || duration <= TimeSpan.Zero || duration > AlertSilences.Longest)
        {
            errors["duration"] = ["duration must be a positive time span of at most a day, e.g. \"01:30:00\" or \"1.00:00:00\"."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReason || FreeText.HasControlCharacters(request.Reason))
        {
            errors["reason"] = [$"reason is required: at most {MaxReason} characters of text, kept with the silence."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var silence = await silences.AddAsync(request.Rule!, duration, request.Reason!.Trim(), OperatorName.Of(context), cancellationToken);
        return TypedResults.Created($"/api/alerts/silences/{silence.Id}", Shown(silence, clock.GetUtcNow()));
    }

    public static async Task<IResult> Cancel(Guid id, AlertSilences silences, HttpContext context, CancellationToken cancellationToken) =>
        await silences.CancelAsync(id, OperatorName.Of(context), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.Of(StatusCodes.Status404NotFound, "silence_not_found", "No such silence", "No silence in force has this id.");

    private static object Shown(AlertSilence silence, DateTimeOffset now) => new
    {
        silence.Id, silence.Rule, silence.Reason, silence.CreatedBy, silence.CreatedAt, silence.EndsAt, silence.CancelledAt, silence.CancelledBy,
        active = silence.Active(now),
    };
}
