using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace FourSite.ServiceDefaults.Http;

/// <summary>
/// A request the framework could not read (malformed JSON, a body over the size limit) is the client's error: answer
/// its own 4xx as a problem, never a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.",
                Type = Problems.TypeBase + "bad_request",
                Extensions = { ["code"] = "bad_request" },
            },
        });
    }
}
