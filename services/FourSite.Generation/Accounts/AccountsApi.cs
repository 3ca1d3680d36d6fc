using System.Security.Claims;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Accounts;

/// <summary>
/// Accounts, for the gateway only (it does not route <c>/api/accounts</c> to the public): sign-in finds or creates the
/// account of a GitHub user the gateway vouches for; an account reads or erases itself.
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounts").WithTags("Accounts").Requires(Credential.Account);

        api.MapPost("/sign-in", SignIn)
            .WithName("SignInAccount")
            .WithSummary("The account of the GitHub user in the gateway's token, created on a first sign-in (a signup).");

        api.MapGet("/me", GetMine)
            .WithName("GetMyAccount")
            .WithSummary("The calling account.");

        api.MapDelete("/me", EraseMine)
            .WithName("EraseMyAccount")
            .WithSummary("Erases the calling account: its sites are removed and its personal data deleted.");

        return app;
    }

    public static async Task<IResult> SignIn(HttpContext context, AccountStore accounts, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || !long.TryParse(user.FindFirstValue(AccountTokens.GitHubIdClaim), out var gitHubId)
            || user.FindFirstValue(AccountTokens.LoginClaim) is not { Length: > 0 } login)
        {
            return SiteAccess.SignInRequired();
        }

        var identity = new GitHubIdentity(gitHubId, login, user.FindFirstValue(AccountTokens.NameClaim), user.FindFirstValue(AccountTokens.AvatarUrlClaim));
        var (account, signedUp) = await accounts.SignInAsync(identity, cancellationToken);
        return TypedResults.Ok(AccountResponse.From(account, signedUp));
    }

    public static async Task<IResult> GetMine(HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        return await accounts.FindAsync(accountId, cancellationToken) is { } account
            ? TypedResults.Ok(AccountResponse.From(account, signedUp: false))
            : AccountNotFound();
    }

    public static async Task<IResult> EraseMine(HttpContext context, AccountStore accounts, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } accountId)
        {
            return SiteAccess.SignInRequired();
        }

        return await accounts.EraseAsync(accountId, cancellationToken) ? TypedResults.NoContent() : AccountNotFound();
    }

    private static IResult AccountNotFound() => Problems.Of(StatusCodes.Status404NotFound, "account_not_found", "No such account (it may have been erased).");
}

/// <summary>An account as the gateway shows it at <c>/api/me</c>.</summary>
public sealed record AccountResponse(Guid AccountId, string Login, string? Name, string? AvatarUrl, DateTimeOffset CreatedAt, bool SignedUp)
{
    public static AccountResponse From(Account account, bool signedUp) =>
        new(account.Id, account.Login, account.Name, account.AvatarUrl, Utc(account.CreatedAt), signedUp);
}
