using System.Security.Claims;
using System.Text.Json;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Identity;

/// <summary>
/// <c>POST /api/sites/{siteId}/verify</c>: the gateway asks GitHub, with the signed-in user's own token, what they may do
/// on the site's repository; a maintainer (admin, maintain or push) is vouched for to Generation, which owns the site.
/// </summary>
public static class MaintainerVerification
{
    private static readonly string[] MaintainerPermissions = ["admin", "maintain", "push"];

    public static IEndpointRouteBuilder MapMaintainerVerification(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sites/{siteId:guid}/verify", VerifyAsync)
            .Requires(Credential.Account).WithTags("Sites").WithName("VerifyMaintainer")
            .WithSummary("Verifies the signed-in account as a maintainer of the site's repository (GitHub permissions admin, maintain or push).");
        return app;
    }

    public static async Task<IResult> VerifyAsync(Guid siteId, HttpContext context, GitHubUserClient gitHub, AccountTokenIssuer tokens, IHttpClientFactory clients,
        IOptions<SignInOptions> options)
    {
        if (context.User.FindFirstValue(AccountTokens.AccountIdClaim) is null || await context.GetTokenAsync("access_token") is not { } accessToken)
        {
            return SignInApi.SignInRequired(options.Value.IsConfigured);
        }

        var generation = clients.CreateClient(IdentityServiceExtensions.GenerationClient);
        using var site = await generation.GetAsync($"/api/sites/{siteId}", context.RequestAborted);
        if (!site.IsSuccessStatusCode)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");
        }

        var repo = (await site.Content.ReadFromJsonAsync<JsonElement>(context.RequestAborted)).GetProperty("siteData").GetProperty("repo");
        var (owner, name) = (repo.GetProperty("owner").GetString()!, repo.GetProperty("name").GetString()!);
        string? permission;
        try
        {
            permission = await gitHub.GetPermissionAsync(accessToken, owner, name, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "github_unavailable", "GitHub could not be asked right now. Please try again shortly.");
        }

        if (permission is null || !MaintainerPermissions.Contains(permission))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "not_a_maintainer",
                $"GitHub does not list you as a maintainer of {owner}/{name} (admin, maintain or push).");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/verify");
        request.Headers.Add(AccountTokens.Header, tokens.ForAccount(context.User, ResourceNames.Generation,
            new Claim(AccountTokens.MaintainsClaim, $"{owner}/{name}"), new Claim(AccountTokens.PermissionClaim, permission)));
        using var verified = await generation.SendAsync(request, context.RequestAborted);
        var body = await verified.Content.ReadAsStringAsync(context.RequestAborted);
        return Results.Content(body, verified.Content.Headers.ContentType?.ToString() ?? "application/json", statusCode: (int)verified.StatusCode);
    }
}
