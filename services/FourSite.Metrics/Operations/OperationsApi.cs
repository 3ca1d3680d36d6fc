using FourSite.Metrics.Dashboard;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Metrics.Operations;

/// <summary><c>/api/operations</c>: the deployment's rollback decision (operator key required).</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/operations").WithTags("Operations").RequireOperatorKey()
            .MapGet("/deployment-health", DeploymentHealthOf).WithName("GetDeploymentHealth")
            .WithSummary("Each deployment slot's error rate, p95 and uptime over the window, and whether it should be rolled back.");
        return app;
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
