using FourSite.Leads.Email;
using FourSite.Leads.Identity;
using FourSite.ServiceDefaults.Access;
using static FourSite.Leads.Email.EmailPage;

namespace FourSite.Leads.Subscriptions;

/// <summary>
/// <c>/e/confirm/{token}</c> and <c>/e/unsubscribe/{token}</c>: the pages a subscriber's emailed links open. A GET only
/// shows the page; its button's POST confirms or unsubscribes. The unsubscribe POST is also RFC 8058's one-click
/// unsubscribe, sent by mail clients without a page or a sign-in.
/// </summary>
public static class SubscriptionPagesApi
{
    private const string Project = "this project";

    public static IEndpointRouteBuilder MapSubscriptionPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/e").WithTags("Email").DisableAntiforgery();
        pages.MapGet("/confirm/{token}", ShowConfirmation).WithName("ShowConfirmation").WithSummary("The confirmation page of an emailed link (changes nothing).");
        pages.MapPost("/confirm/{token}", Confirm).WithName("Confirm").WithSummary("Confirms the subscription the link names.");
        pages.MapGet("/unsubscribe/{token}", ShowUnsubscribe).WithName("ShowUnsubscribe").WithSummary("The unsubscribe page of an emailed link (changes nothing).");
        pages.MapPost("/unsubscribe/{token}", Unsubscribe).WithName("Unsubscribe")
            .WithSummary("Unsubscribes, without sign-in (RFC 8058 one-click); scope=all unsubscribes the address from every FourSite project.");
        pages.MapPost("/resubscribe/{token}", Resubscribe).WithName("Resubscribe").WithSummary("Subscribes anew from the person's own unsubscribe link.");
        return app;
    }

    public static async Task<IResult> ShowConfirmation(string token, HttpContext context, SubscriptionStore subscriptions, CancellationToken cancellationToken)
    {
        var found = await subscriptions.FindConfirmationAsync(token, cancellationToken);
        if (Refusal(context, found) is { } refusal)
        {
            return refusal;
        }

        var subscription = found.Subscription!;
        return subscription.Status == "confirmed"
            ? Confirmed(context, subscription)
            : Show(context, StatusCodes.Status200OK, $"Confirm you want news from {subscription.Project ?? Project}",
                Text($"Confirm that {subscription.Email} may be emailed news from {subscription.Project ?? Project}. You can unsubscribe from any email.")
                + Form("Confirm my subscription", "confirm-subscription"));
    }

    public static async Task<IResult> Confirm(string token, HttpContext context, SubscriptionStore subscriptions, EmailTelemetry telemetry, CancellationToken cancellationToken)
    {
        var found = await subscriptions.ConfirmAsync(token, ClientNetwork.Of(context.Connection.RemoteIpAddress), context.Request.Headers.UserAgent.ToString(), cancellationToken);
        if (Refusal(context, found) is { } refusal)
        {
            return refusal;
        }

        telemetry.SubscriptionChanged("confirmed");
        return Confirmed(context, found.Subscription!);
    }

    public static async Task<IResult> ShowUnsubscribe(string token, HttpContext context, SubscriptionStore subscriptions, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, subscriptions, cancellationToken) is not { } subscription)
        {
            return UnknownLink(context);
        }

        if (subscription.Status == "unsubscribed")
        {
            return Unsubscribed(context, subscription, token);
        }

        return Show(context, StatusCodes.Status200OK, $"Unsubscribe from {subscription.Project ?? Project}",
            Text($"{EmailMask.Mask(subscription.Email)} will get no more news from {subscription.Project ?? Project}.")
            + Form("Unsubscribe", "unsubscribe",
                "<p><label><input type=\"checkbox\" name=\"scope\" value=\"all\" data-testid=\"unsubscribe-everywhere\"> Unsubscribe from every FourSite project</label></p>"));
    }

    public static async Task<IResult> Unsubscribe(string token, HttpContext context, SubscriptionStore subscriptions, EmailTelemetry telemetry, CancellationToken cancellationToken)
    {
        if (!MailTokens.IsWellFormed(token))
        {
            return UnknownLink(context);
        }

        // A mail client's one-click POST carries List-Unsubscribe=One-Click; the page's form may add scope=all.
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(cancellationToken) : null;
        var everywhere = form is not null && form["scope"].ToString() == "all";
        var subscription = await subscriptions.UnsubscribeAsync(token, everywhere, cancellationToken);
        if (subscription is null)
        {
            return UnknownLink(context);
        }

        telemetry.SubscriptionChanged(everywhere ? "unsubscribed_everywhere" : "unsubscribed");
        return Unsubscribed(context, subscription, token, everywhere);
    }

    public static async Task<IResult> Resubscribe(string token, HttpContext context, SubscriptionStore subscriptions, EmailTelemetry telemetry, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, subscriptions, cancellationToken) is not { } subscription)
        {
            return UnknownLink(context);
        }

        var renewed = await subscriptions.ResubscribeAsync(token, ClientNetwork.Of(context.Connection.RemoteIpAddress), context.Request.Headers.UserAgent.ToString(), cancellationToken);
        if (renewed is not null)
        {
            telemetry.SubscriptionChanged("resubscribed");
        }

        return renewed is null && subscription.Status != "confirmed"
            ? Show(context, StatusCodes.Status409Conflict, "Not subscribed", Text("This address cannot be subscribed again: mail to it is refused."))
            : Confirmed(context, renewed ?? subscription);
    }

    private static async Task<SubscriptionView?> FindAsync(string token, SubscriptionStore subscriptions, CancellationToken cancellationToken) =>
        MailTokens.IsWellFormed(token) ? await subscriptions.FindByUnsubscribeTokenAsync(token, cancellationToken) : null;

    private static IResult? Refusal(HttpContext context, TokenLookup found) => found.State switch
    {
        LinkState.Unknown => UnknownLink(context),
        LinkState.Expired => Show(context, StatusCodes.Status410Gone, "This link has expired",
            Text($"Confirmation links work for a week. Leave your email on {found.Subscription?.Project ?? Project}'s page again for a new one; nothing was changed.")),
        _ => null,
    };

    private static IResult UnknownLink(HttpContext context) =>
        Show(context, StatusCodes.Status400BadRequest, "This link is not valid", Text("It may be incomplete, or no longer in use. Nothing was changed."));

    private static IResult Confirmed(HttpContext context, SubscriptionView subscription) =>
        Show(context, StatusCodes.Status200OK, "You're subscribed",
            Text($"{subscription.Project ?? "The project"} can now email {subscription.Email} its news. Every email has a link to unsubscribe."));

    private static IResult Unsubscribed(HttpContext context, SubscriptionView subscription, string token, bool everywhere = false) =>
        Show(context, StatusCodes.Status200OK, "You're unsubscribed",
            Text(everywhere
                ? $"{EmailMask.Mask(subscription.Email)} will get no more news from any FourSite project."
                : $"{EmailMask.Mask(subscription.Email)} will get no more news from {subscription.Project ?? Project}.")
            + FormTo($"/e/resubscribe/{token}", $"Subscribe to {subscription.Project ?? Project} again", "resubscribe"));
}
