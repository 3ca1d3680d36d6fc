using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FourSite.Gateway.Identity;

/// <summary>
/// GitHub's API as the signed-in user: who they are, and what they may do on a repository. Their access token is used
/// for these two questions only, and never logged.
/// </summary>
public sealed class GitHubUserClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<GitHubUser> GetUserAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Request("user", accessToken), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<GitHubUser>(Json, cancellationToken))!;
    }

    /// <summary>The user's strongest permission on owner/name (admin, maintain, push, triage, pull); null when GitHub does not show them the repository.</summary>
    public async Task<string?> GetPermissionAsync(string accessToken, string owner, string name, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Request($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}", accessToken), cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var repository = await response.Content.ReadFromJsonAsync<RepositoryPermissions>(Json, cancellationToken);
        var granted = repository?.Permissions;
        return granted is null ? null
            : granted.Admin ? "admin"
            : granted.Maintain ? "maintain"
            : granted.Push ? "push"
            : granted.Triage ? "triage"
            : "pull";
    }

    private static HttpRequestMessage Request(string path, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("FourSite");
        return request;
    }

    private sealed record RepositoryPermissions(Permissions? Permissions);

    private sealed record Permissions(bool Admin, bool Maintain, bool Push, bool Triage, bool Pull);
}

/// <summary>A GitHub user as <c>GET /user</c> describes them.</summary>
public sealed record GitHubUser(long Id, string Login, string? Name, [property: JsonPropertyName("avatar_url")] string? AvatarUrl);
