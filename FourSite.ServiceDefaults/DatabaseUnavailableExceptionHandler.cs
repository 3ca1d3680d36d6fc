using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FourSite.ServiceDefaults;

/// <summary>
/// A request that cannot reach PostgreSQL (down, restarting, out of connections) is answered <c>503</c>
/// <c>database_unavailable</c> with a <c>Retry-After</c>, never a 500: nothing was stored, and trying again shortly works.
/// </summary>
public sealed partial class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
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

    /// <summary>Connection failures, a server shutting down, a pool out of connections: transient by nature.</summary>
    private static bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request to {Path} answered 503: database unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason);
}
