using Microsoft.Extensions.Options;
using Stripe;

namespace FourSite.Viral.Billing;

/// <summary>Stripe.net clients against the configured API address, through the service's HTTP pipeline.</summary>
public sealed class StripeBillingClient(IHttpClientFactory httpClients, IOptions<BillingOptions> options)
{
    public const string HttpClientName = "stripe";

    /// <summary>
    /// Stripe.net's own retries stay off: the shared HttpClient pipeline retries, and idempotency keys make a retried create
    /// return what the first made.
    /// </summary>
    public StripeClient Client()
    {
        var settings = options.Value;
        return new StripeClient(settings.SecretKey, httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), 0, null, false),
            apiBase: settings.ApiUrl.TrimEnd('/'));
    }

    /// <summary>Cancels a subscription now (its site is gone); one already cancelled is no error.</summary>
    public async Task CancelSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            await new SubscriptionService(Client()).CancelAsync(subscriptionId, cancellationToken: cancellationToken);
        }
        catch (StripeException exception) when (exception.StripeError?.Code == "resource_missing")
        {
        }
    }

    /// <summary>
    /// The invoice a payment paid, from Stripe's invoice payments (refunds and disputes name the payment, not the invoice);
    /// null when the payment paid no invoice.
    /// </summary>
    public async Task<string?> InvoiceOfPaymentAsync(string paymentIntentId, CancellationToken cancellationToken)
    {
        var payments = await new InvoicePaymentService(Client()).ListAsync(new InvoicePaymentListOptions
        {
            Payment = new InvoicePaymentPaymentOptions { Type = "payment_intent", PaymentIntent = paymentIntentId },
            Limit = 1,
        }, cancellationToken: cancellationToken);
        return payments.Data.FirstOrDefault()?.InvoiceId;
    }
}
