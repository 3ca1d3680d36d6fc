using FourSite.Metrics.Alerts;
using FourSite.Metrics.Operations;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;

namespace FourSite.Metrics.Apis;

/// <summary>Alerts and the deployment's rollback decision (operator key required).</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts", List).WithTags("Operations").WithName("GetAlerts").RequireOperatorKey()
            .WithSummary("Alerts raised by the rules: open ones (state=open, the default) or the latest of any state (state=all).");
        app.MapGet("/api/operations/deployment-health", DeploymentHealthOf).WithTags("Operations").WithName("GetDeploymentHealth").RequireOperatorKey()
            .WithSummary("Each deployment slot's error rate, p95 and uptime over the window, and whether it should be rolled back.");
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

    public static async Task<IResult> DeploymentHealthOf(string? slot, DeploymentHealth deployments)
    {
        if (slot is not null && !System.Text.RegularExpressions.Regex.IsMatch(slot, "^[a-z0-9-]{1,32}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["slot"] = ["slot must be a slot name such as blue or green."] });
        }

        try
        {
            return TypedResults.Ok(new { success = true, data = await deployments.ReadAsync(slot) });
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            return DashboardApi.SignalsUnavailable();
        }
    }
}
