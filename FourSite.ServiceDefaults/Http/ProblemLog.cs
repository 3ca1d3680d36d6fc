using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FourSite.ServiceDefaults.Http;

/// <summary>
/// Logs every problem a process answers, in the request's trace: the <c>traceId</c> a user pastes from an answer always
/// finds this record on the dashboard, and its trace too whenever the trace was kept.
/// </summary>
public static partial class ProblemLog
{
    public static void Write(ProblemDetailsContext context)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProblemLog));
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        var code = context.ProblemDetails.Extensions.TryGetValue("code", out var value) ? value?.ToString() : null;
        var request = context.HttpContext.Request;
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogServerProblem(logger, request.Method, request.Path.Value, status, code, context.ProblemDetails.Title);
        }
        else
        {
            LogClientProblem(logger, request.Method, request.Path.Value, status, code, context.ProblemDetails.Title);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} answered {Status} {Code}: {Title}")]
    private static partial void LogServerProblem(ILogger logger, string method, string? path, int status, string? code, string? title);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} {Code}: {Title}")]
    private static partial void LogClientProblem(ILogger logger, string method, string? path, int status, string? code, string? title);
}
