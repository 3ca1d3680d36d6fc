using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FourSite.ServiceDefaults.Database;

/// <summary>
/// A request that cannot reach PostgreSQL (down, restarting, out of connections) is answered <c>503</c>
/// <c>database_unavailable</c> with a <c>Retry-After</c>, never a 500: nothing was stored, and trying again shortly works.
/// </summary>
public sealed partial class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!exception.IsDatabaseUnavailable())
        {
            return false;
        }

        LogUnavailable(logger, httpContext.Request.Path, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable right now. Nothing was stored; please try again shortly.",
                Type = Problems.TypeBase + "database_unavailable",
                Extensions = { ["code"] = "database_unavailable" },
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request to {Path} answered 503: database unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason);
}
