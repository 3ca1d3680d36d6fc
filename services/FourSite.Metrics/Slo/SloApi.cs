using System.Globalization;
using FourSite.ServiceDefaults.Access;

namespace FourSite.Metrics.Slo;

/// <summary><c>GET /api/slo</c>: each service level objective's attainment over 30 days, its error budget left and its burn rates (operator only).</summary>
public static class SloApi
{
    public static IEndpointRouteBuilder MapSloApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/slo", Read).WithTags("Operations").WithName("GetServiceLevelObjectives").RequireOperatorKey()
            .WithSummary("Availability and latency objectives: attainment over 30 days, error budget remaining, burn rates over 5m, 30m, 1h, 6h and 3d.");
        return app;
    }

    public static async Task<IResult> Read(SloCalculator slos, CancellationToken cancellationToken) =>
        TypedResults.Ok((await slos.JudgeAsync(cancellationToken)).Select(slo => new
        {
            slo.Name, slo.Description, slo.Objective, window = slo.Window.ToString("c", CultureInfo.InvariantCulture), slo.Attainment, slo.BudgetRemaining,
            slo.Events, slo.BurnRates,
        }));
}
