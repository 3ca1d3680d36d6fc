using FourSite.Leads.Email;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using static FourSite.Leads.Email.EmailPage;

namespace FourSite.Leads.Notifications;

/// <summary>
/// A signed-in maintainer's lead notifications: <c>/api/notifications/address</c> (where they go, verified by a link
/// sent there), <c>/api/sites/{siteId}/notifications</c> (per site: each lead at once, a daily digest, or nothing), and
/// <c>/e/verify/{token}</c>, the page the verification link opens.
/// </summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var address = app.MapGroup("/api/notifications/address").WithTags("Notifications").Requires(Credential.Account);
        address.MapGet("/", GetAddress).WithName("GetNotificationAddress").WithSummary("Where the account's lead notifications go, and whether it is verified.");
        address.MapPut("/", PutAddress).WithName("PutNotificationAddress").WithSummary("Sets the address; a new one is sent a link to verify it, and gets nothing else until then.");

        var site = app.MapGroup("/api/sites/{siteId}/notifications").WithTags("Notifications").RequireSiteOwner(UnknownSite.NotYetKnown);
        site.MapGet("/", GetSetting).WithName("GetLeadNotifications").WithSummary("How the signed-in owner hears of the site's new leads.");
        site.MapPut("/", PutSetting).WithName("PutLeadNotifications").WithSummary("leads: instant, digest (at digestHour, UTC) or off (the default).");

        var pages = app.MapGroup("/e/verify").WithTags("Email").DisableAntiforgery();
        pages.MapGet("/{token}", ShowVerification).WithName("ShowAddressVerification").WithSummary("The verification page of an emailed link (changes nothing).");
        pages.MapPost("/{token}", Verify).WithName("VerifyAddress").WithSummary("Verifies the notification address the link was sent to.");
        return app;
    }

    public sealed record AddressRequest(string? Email);

    public sealed record AddressResponse(string Email, bool Verified);

    public static async Task<IResult> GetAddress(HttpContext context, NotificationStore notifications, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } account)
        {
            return SiteAccess.SignInRequired();
        }

        return await notifications.FindAddressAsync(account, cancellationToken) is { } address
            ? TypedResults.Ok(new AddressResponse(address.Email, address.Verified))
            : Problems.Of(StatusCodes.Status404NotFound, "no_notification_address", "No notification address is set.");
    }

    public static async Task<IResult> PutAddress(AddressRequest? request, HttpContext context, NotificationStore notifications, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } account)
        {
            return SiteAccess.SignInRequired();
        }

        if (!EmailIdentity.IsValid(request?.Email))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["email"] = ["email must be a valid email address."] });
        }

        var address = await notifications.SetAddressAsync(account, request!.Email!.Trim(), cancellationToken);
        return address.Verified ? TypedResults.Ok(new AddressResponse(address.Email, true)) : TypedResults.Accepted((string?)null, new AddressResponse(address.Email, false));
    }

    public static async Task<IResult> GetSetting(string siteId, HttpContext context, NotificationStore notifications, CancellationToken cancellationToken)
    {
        if (context.AccountId() is not { } account)
        {
            return SiteAccess.SignInRequired();
        }

        return TypedResults.Ok(await notifications.FindSettingAsync(Guid.Parse(siteId), account, cancellationToken));
    }

    public static async Task<IResult> PutSetting(string siteId, LeadNotificationSetting? request, HttpContext context, NotificationStore notifications, CancellationToken cancellationToken)
    {
        // Notifications go to an account's own address: a token holder has none.
        if (context.AccountId() is not { } account)
        {
            return SiteAccess.SignInRequired();
        }

        var errors = new Dictionary<string, string[]>();
        if (request?.Leads is not { } mode || !LeadNotificationModes.All.Contains(mode))
        {
            errors["leads"] = ["leads must be instant, digest or off."];
        }

        if (request?.DigestHour is < 0 or > 23)
        {
            errors["digestHour"] = ["digestHour must be an hour from 0 to 23 (UTC)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        await notifications.SetSettingAsync(Guid.Parse(siteId), account, request!, cancellationToken);
        return TypedResults.Ok(request);
    }

    public static async Task<IResult> ShowVerification(string token, HttpContext context, NotificationStore notifications, CancellationToken cancellationToken)
    {
        var (state, email) = await notifications.FindVerificationAsync(token, cancellationToken);
        return Answer(context, state)
            ?? Show(context, StatusCodes.Status200OK, "Verify this address", Text($"Send FourSite lead notifications to {email}?") + Form("Verify this address", "verify-address"));
    }

    public static async Task<IResult> Verify(string token, HttpContext context, NotificationStore notifications, CancellationToken cancellationToken)
    {
        var (state, email) = await notifications.VerifyAsync(token, cancellationToken);
        return Answer(context, state) ?? Show(context, StatusCodes.Status200OK, "Address verified", Text($"Lead notifications will go to {email}, as you choose per site on your dashboard."));
    }

    private static IResult? Answer(HttpContext context, LinkState state) => state switch
    {
        LinkState.Unknown => Show(context, StatusCodes.Status400BadRequest, "This link is not valid", Text("It may be incomplete, or for an address since changed. Nothing was changed.")),
        LinkState.Expired => Show(context, StatusCodes.Status410Gone, "This link has expired", Text("Set the address again on your dashboard for a new link. Nothing was changed.")),
        _ => null,
    };
}
