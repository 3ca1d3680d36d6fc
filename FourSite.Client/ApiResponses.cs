using Refit;

namespace FourSite.Client;

/// <summary>Reading an answer the same way whether it succeeded, was refused, or never came.</summary>
public static class ApiResponses
{
    /// <summary>The HTTP status, or 0 when no answer came.</summary>
    public static int Status(this IApiResponse response) => response.StatusCode is { } status ? (int)status : 0;

    /// <summary>The status and, for a refusal, its problem details as sent.</summary>
    public static string Describe(this IApiResponse response) =>
        response.Error is ApiException { Content: { Length: > 0 } content } ? $"status {response.Status()}: {content}" : $"status {response.Status()}";
}
