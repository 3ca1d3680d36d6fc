using FluentValidation;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using FourSite.Viral.Ownership;
using FourSite.Viral.Referrals;
using Microsoft.Extensions.Options;
using Stripe;

namespace FourSite.Viral.Billing;

/// <summary>
/// <c>POST /api/billing/checkout</c> (owner) starts a Pro upgrade; <c>POST /api/billing/webhook</c> is Stripe reporting payments
/// and subscription changes; <c>POST /api/billing/portal</c> (owner) opens Stripe's portal to manage the subscription.
/// </summary>
public static partial class BillingApi
{
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>Stripe's own events are a few kilobytes; anything far larger is not one.</summary>
    public const int MaxWebhookBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/billing").WithTags("Billing");

        api.MapPost("/checkout", Checkout)
            .Requires(Credential.SiteOwner)
            .WithName("StartCheckout")
            .WithSummary("Creates a Stripe Checkout session upgrading the site to Pro (the site's owner token as Bearer) and answers its URL.");

        api.MapPost("/webhook", Webhook)
            .Requires(Credential.Signature)
            .WithName("StripeWebhook")
            .WithSummary("Stripe's webhook: checkouts, paid and failed invoices, subscription changes, refunds and disputes, each event applied once.");

        api.MapPost("/portal", Portal)
            .Requires(Credential.SiteOwner)
            .WithName("OpenBillingPortal")
            .WithSummary("A Stripe Customer Portal session for the site's subscription (the site's owner), where the buyer changes card or plan or cancels.");

        return app;
    }

    /// <summary>The body of <c>POST /api/billing/checkout</c>.</summary>
    public sealed record CheckoutRequest(string? SiteId, string? Plan, string? ReferralCode);

    /// <summary>What <see cref="Checkout"/> works with.</summary>
    public sealed record CheckoutServices(SiteOwnerStore Owners, CheckoutSessions Sessions, SubscriptionStore Subscriptions, IOptions<BillingOptions> Options, ILoggerFactory Logs);

    public static async Task<IResult> Checkout(CheckoutRequest request, [AsParameters] CheckoutServices services, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(request.SiteId, out var siteId)) errors["siteId"] = ["siteId must be a UUID."];
        var plan = request.Plan is null ? null : ProPlans.All.GetValueOrDefault(request.Plan);
        if (plan is null) errors["plan"] = [$"plan must be one of: {string.Join(", ", ProPlans.All.Keys)}."];
        if (request.ReferralCode is not null && !ReferralCodes.IsWellFormed(request.ReferralCode)) errors["referralCode"] = ["referralCode must be 4 to 32 letters, digits, '-' or '_'."];
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (site, refusal) = await SiteOwnerCheck.RequireAsync(context, siteId, services.Owners.FindAsync, UnknownSite.NotYetKnown, cancellationToken);
        if (site is null)
        {
            return refusal!;
        }

        if (!services.Options.Value.CheckoutConfigured)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "billing_not_configured", "Pro upgrades are not available: billing is not configured on this deployment.");
        }

        if (await services.Subscriptions.IsProAsync(site.SiteId, cancellationToken))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "already_pro", "This site is already Pro: change its plan from \"Manage billing\".");
        }

        try
        {
            var session = await services.Sessions.CreateAsync(site.SiteId, site.OwnerId, plan!, request.ReferralCode,
                ClientNetwork.Of(context.Connection.RemoteIpAddress), context.AccountId(), cancellationToken);
            return TypedResults.Ok(new CheckoutResponse(session.Url, session.Id));
        }
        catch (Exception exception) when (IsStripeUnavailable(exception, cancellationToken))
        {
            LogCheckoutFailed(services.Logs.CreateLogger(typeof(BillingApi)), exception.GetType().Name, exception.Message);
            return Problems.Of(StatusCodes.Status502BadGateway, "billing_unavailable", "The payment provider could not start a checkout. Please try again shortly.");
        }
    }

    public static async Task<IResult> Webhook(HttpRequest request, IOptions<BillingOptions> options, StripeEventHandler handler, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!options.Value.WebhookConfigured)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "billing_not_configured", "The Stripe webhook is not configured on this deployment.");
        }

        if (request.ContentLength > MaxWebhookBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "A Stripe event is never this large.");
        }

        var body = await new StreamReader(request.Body).ReadToEndAsync(cancellationToken);
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(body, request.Headers[SignatureHeader].ToString(), options.Value.WebhookSecret, throwOnApiVersionMismatch: false);
        }
        catch (Exception exception) when (exception is StripeException or Newtonsoft.Json.JsonException)
        {
            LogRejected(logs.CreateLogger(typeof(BillingApi)), exception.Message);
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_signature", "The Stripe-Signature header does not match this body.");
        }

        try
        {
            var outcome = await handler.HandleAsync(stripeEvent, cancellationToken);
            return TypedResults.Ok(new WebhookResponse(true, outcome.ToString().ToLowerInvariant()));
        }
        catch (Exception exception) when (IsStripeUnavailable(exception, cancellationToken))
        {
            // A refund's invoice could not be asked of Stripe: nothing was recorded, and Stripe delivers the event again.
            LogEventDeferred(logs.CreateLogger(typeof(BillingApi)), stripeEvent.Id, exception.GetType().Name, exception.Message);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "billing_unavailable", "The payment provider could not be reached; deliver the event again later.");
        }
    }

    /// <summary>The body of <c>POST /api/billing/portal</c>.</summary>
    public sealed record PortalRequest(string? SiteId);

    /// <summary>What <see cref="Portal"/> works with.</summary>
    public sealed record PortalServices(SiteOwnerStore Owners, SubscriptionStore Subscriptions, StripeBillingClient Stripe, IOptions<BillingOptions> Options, ILoggerFactory Logs);

    public static async Task<IResult> Portal(PortalRequest request, [AsParameters] PortalServices services, HttpContext context, CancellationToken cancellationToken)
    {
        if (!SiteAccess.HasCredentials(context))
        {
            return OwnerAccess.TokenRequired();
        }

        if (!Guid.TryParse(request.SiteId, out var siteId))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["siteId"] = ["siteId must be a UUID."] });
        }

        var (site, refusal) = await SiteOwnerCheck.RequireAsync(context, siteId, services.Owners.FindAsync, UnknownSite.NotYetKnown, cancellationToken);
        if (site is null)
        {
            return refusal!;
        }

        if (!services.Options.Value.CheckoutConfigured)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "billing_not_configured", "Billing is not configured on this deployment.");
        }

        if (await services.Subscriptions.PayerOfAsync(siteId, cancellationToken) is not { } payer)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "no_subscription", "This site has no Pro subscription to manage.");
        }

        // The portal shows the payer's card and invoices: the account that bought it, or the token holder for a purchase
        // made without one; not whoever owns the site since (a maintainer who took it over).
        var isPayer = payer.BuyerAccountId is { } buyer
            ? context.AccountId() == buyer
            : Credentials.BearerToken(context.Request) is not null && payer.OwnerId == site.OwnerId;
        if (!isPayer)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, "not_the_payer", "Only whoever pays for this site's Pro can manage its billing.");
        }

        try
        {
            var session = await new Stripe.BillingPortal.SessionService(services.Stripe.Client()).CreateAsync(new Stripe.BillingPortal.SessionCreateOptions
            {
                Customer = payer.CustomerId,
                ReturnUrl = $"{services.Options.Value.ReturnUrl.TrimEnd('/')}/dashboard",
            }, cancellationToken: cancellationToken);
            return TypedResults.Ok(new PortalResponse(session.Url));
        }
        catch (Exception exception) when (IsStripeUnavailable(exception, cancellationToken))
        {
            LogCheckoutFailed(services.Logs.CreateLogger(typeof(BillingApi)), exception.GetType().Name, exception.Message);
            return Problems.Of(StatusCodes.Status502BadGateway, "billing_unavailable", "The payment provider could not open the billing portal. Please try again shortly.");
        }
    }

    private static bool IsStripeUnavailable(Exception exception, CancellationToken cancellationToken) =>
        exception is StripeException or HttpRequestException or Polly.ExecutionRejectedException
        || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe checkout failed: {ExceptionType}: {Reason}")]
    private static partial void LogCheckoutFailed(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} deferred, Stripe unreachable: {ExceptionType}: {Reason}")]
    private static partial void LogEventDeferred(ILogger logger, string eventId, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

public sealed record CheckoutResponse(string CheckoutUrl, string SessionId);

public sealed record WebhookResponse(bool Received, string Outcome);

public sealed record PortalResponse(string Url);
