using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.Extensions.Options;

namespace FourSite.Leads.Webhooks;

/// <summary>
/// <c>/api/sites/{siteId}/webhooks</c>: a site's owner (its account, or its owner token) points its events at their own
/// systems, tests and rotates the signing, and sees and repeats deliveries. Everyone else is refused; a site not known
/// here yet (just generated) is a 404 to try again shortly.
/// </summary>
public static class WebhooksApi
{
    public const int DeliveriesShown = 50;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites/{siteId}/webhooks").WithTags("Webhooks").RequireSiteOwner(UnknownSite.NotYetKnown);

        api.MapPost("/", Create).WithName("CreateWebhook").WithSummary("Adds a webhook for some of the site's events; its signing secret is shown in this answer only.");
        api.MapGet("/", List).WithName("ListWebhooks").WithSummary("The site's webhooks (never their secrets), with why any is disabled.");
        api.MapDelete("/{webhookId}", Delete).WithName("DeleteWebhook").WithSummary("Removes a webhook; nothing more is delivered to it.");
        api.MapPost("/{webhookId}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret").WithSummary("Issues a new signing secret; the old one keeps signing beside it for 24 hours.");
        api.MapPost("/{webhookId}/enable", Enable).WithName("EnableWebhook").WithSummary("Turns a disabled webhook back on; its waiting deliveries resume.");
        api.MapPost("/{webhookId}/test", SendTest).WithName("TestWebhook").WithSummary("Sends a webhook.test event to the webhook now.");
        api.MapGet("/{webhookId}/deliveries", ListDeliveries).WithName("ListWebhookDeliveries").WithSummary("The latest deliveries: status, every attempt's status code and latency, the next attempt.");
        api.MapPost("/{webhookId}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("RedeliverWebhook").WithSummary("Sends a delivery again now, with the same webhook-id.");
        return app;
    }

    /// <summary>What every webhook call works with.</summary>
    public sealed record WebhookServices(WebhookStore Webhooks, IOptionsMonitor<WebhookOptions> Options, TimeProvider Clock);

    public static async Task<IResult> Create(string siteId, WebhookRequest? request, HttpContext context, [AsParameters] WebhookServices services, CancellationToken cancellationToken)
    {
        var site = Site(siteId);
        var errors = new Dictionary<string, string[]>();
        var url = WebhookTarget.Parse(request?.Url, services.Options.CurrentValue.AllowLoopback, out var urlProblem);
        if (url is null)
        {
            errors["url"] = [urlProblem];
        }

        var events = request?.Events?.Select(name => name?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (events.Count == 0 || events.Any(name => !WebhookEventTypes.Subscribable.Contains(name)))
        {
            errors["events"] = [$"events must list one or more of: {string.Join(", ", WebhookEventTypes.Subscribable)}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var secret = WebhookSecrets.New();
        var bearer = Credentials.BearerToken(context.Request);
        var webhook = await services.Webhooks.CreateAsync(site, url!, events, secret, context.AccountId(), bearer is null ? null : Credentials.Hash(bearer), cancellationToken);
        if (webhook is null)
        {
            return Problems.Of(StatusCodes.Status409Conflict, "too_many_webhooks", $"A site has at most {services.Options.CurrentValue.MaxPerSite} webhooks; remove one first.");
        }

        return TypedResults.Created($"/api/sites/{site}/webhooks/{webhook.WebhookId}",
            new CreatedWebhook(webhook.WebhookId, webhook.Url, webhook.Events, secret, WebhookView.Of(webhook).CreatedAt));
    }

    public static async Task<IResult> List(string siteId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok((await services.Webhooks.ListAsync(Site(siteId), cancellationToken)).Select(WebhookView.Of).ToList());

    public static async Task<IResult> Delete(string siteId, string webhookId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        await OnWebhookAsync(siteId, webhookId, async (site, webhook) =>
            await services.Webhooks.DeleteAsync(site, webhook, cancellationToken) ? TypedResults.NoContent() : WebhookNotFound());

    public static async Task<IResult> RotateSecret(string siteId, string webhookId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        await OnWebhookAsync(siteId, webhookId, async (site, webhook) =>
        {
            var secret = WebhookSecrets.New();
            return await services.Webhooks.RotateSecretAsync(site, webhook, secret, cancellationToken)
                ? TypedResults.Ok(new RotatedSecret(webhook, secret, services.Clock.GetUtcNow() + services.Options.CurrentValue.PreviousSecretLifetime))
                : WebhookNotFound();
        });

    public static async Task<IResult> Enable(string siteId, string webhookId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        await OnWebhookAsync(siteId, webhookId, async (site, webhook) =>
            await services.Webhooks.EnableAsync(site, webhook, cancellationToken) && await services.Webhooks.FindAsync(site, webhook, cancellationToken) is { } enabled
                ? TypedResults.Ok(WebhookView.Of(enabled))
                : WebhookNotFound());

    public static async Task<IResult> SendTest(string siteId, string webhookId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        await OnWebhookAsync(siteId, webhookId, async (site, webhook) =>
        {
            if (await services.Webhooks.FindAsync(site, webhook, cancellationToken) is not { } found)
            {
                return WebhookNotFound();
            }

            if (!found.Enabled)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "webhook_disabled", $"This webhook is disabled: {found.DisabledReason} Enable it first.");
            }

            var deliveryId = await services.Webhooks.SendTestAsync(site, webhook, services.Clock.GetUtcNow(), cancellationToken);
            return deliveryId is { } id ? TypedResults.Accepted($"/api/sites/{site}/webhooks/{webhook}/deliveries", new { deliveryId = id }) : WebhookNotFound();
        });

    public static async Task<IResult> ListDeliveries(string siteId, string webhookId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        await OnWebhookAsync(siteId, webhookId, async (site, webhook) =>
            await services.Webhooks.FindAsync(site, webhook, cancellationToken) is null
                ? WebhookNotFound()
                : TypedResults.Ok(await services.Webhooks.ListDeliveriesAsync(site, webhook, DeliveriesShown, cancellationToken)));

    public static async Task<IResult> Redeliver(string siteId, string webhookId, string deliveryId, [AsParameters] WebhookServices services, CancellationToken cancellationToken) =>
        await OnWebhookAsync(siteId, webhookId, async (site, webhook) =>
            !Guid.TryParse(deliveryId, out var delivery)
                ? Problems.Of(StatusCodes.Status400BadRequest, "invalid_id", "deliveryId must be a UUID.")
                : await services.Webhooks.RedeliverAsync(site, webhook, delivery, cancellationToken)
                    ? TypedResults.Accepted($"/api/sites/{site}/webhooks/{webhook}/deliveries", new { deliveryId = delivery })
                    : Problems.Of(StatusCodes.Status404NotFound, "delivery_not_found", "This webhook has no such delivery."));

    /// <summary>The route's site id: the owner filter has checked that it is a GUID and that the caller owns it.</summary>
    private static Guid Site(string siteId) => Guid.Parse(siteId);

    private static async Task<IResult> OnWebhookAsync(string siteId, string webhookId, Func<Guid, Guid, Task<IResult>> action) =>
        Guid.TryParse(webhookId, out var webhook) ? await action(Site(siteId), webhook) : Problems.Of(StatusCodes.Status400BadRequest, "invalid_id", "webhookId must be a UUID.");

    private static IResult WebhookNotFound() => Problems.Of(StatusCodes.Status404NotFound, "webhook_not_found", "This site has no such webhook.");
}
