using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.GitHub;

/// <summary>Adds the configured token (when there is one) and the headers GitHub requires to every call.</summary>
public sealed class GitHubTokenHandler(IOptions<GitHubOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.ParseAdd("FourSite/1.0 (+https://4site.pro)");
        request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", "2022-11-28");
        if (!request.Headers.Accept.Any())
        {
            request.Headers.Accept.ParseAdd("application/vnd.github+json");
        }

        if (options.Value.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
