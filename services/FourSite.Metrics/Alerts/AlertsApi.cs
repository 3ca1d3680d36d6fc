using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Metrics.Alerts;

/// <summary><c>/api/alerts</c>: the alerts the rules raised (operator key required).</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", List).WithTags("Operations").WithName("GetAlerts").RequireOperatorKey()
            .WithSummary("Alerts raised by the rules: open ones (state=open, the default) or the latest of any state (state=all).");
        return app;
    }

    public static async Task<IResult> List(string? state, AlertStore alerts, AlertRuleSet rules, CancellationToken cancellationToken)
    {
        if (state is not (null or "open" or "all"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["state"] = ["state must be open or all."] });
        }

        var list = await alerts.ListAsync(state != "all", 200, cancellationToken);
        return TypedResults.Ok(new { success = true, data = list, rules = rules.Rules });
    }
}
