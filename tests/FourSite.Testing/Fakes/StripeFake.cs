using System.Net;
using System.Security.Cryptography;
using System.Text;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FourSite.Testing.Fakes;

/// <summary>
/// Stripe's HTTP API faked on loopback (Stripe is not reachable from tests): creating a Checkout session answers a
/// session with a checkout URL, as Stripe does; Connect's accounts, links and transfers (StripeFake.Connect.cs);
/// <see cref="Sign"/> signs webhook payloads the way Stripe does.
/// </summary>
public sealed partial class StripeFake : IDisposable
{
    public const string SecretKey = "sk_test_fake_foursite";
    public const string WebhookSecret = "whsec_fake_foursite";
    public const string CheckoutPath = "/v1/checkout/sessions";
    public const string PortalPath = "/v1/billing_portal/sessions";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string InvoiceId, long Amount)> _invoicePayments = new();
    private HttpStatusCode? _invoicePaymentsFailure;

    public StripeFake()
    {
        _server.Given(Request.Create().WithPath(CheckoutPath).UsingPost())
            .AtPriority(2)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var id = $"cs_test_{Guid.NewGuid():N}";
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    BodyData = new WireMock.Util.BodyData
                    {
                        BodyAsString = $$"""{"id":"{{id}}","object":"checkout.session","mode":"subscription","status":"open","url":"https://checkout.stripe.com/c/pay/{{id}}"}""",
                        DetectedBodyType = WireMock.Types.BodyType.String,
                    },
                };
            }));
        _server.Given(Request.Create().WithPath(PortalPath).UsingPost())
            .RespondWith(Response.Create().WithCallback(request => new WireMock.ResponseMessage
            {
                StatusCode = 200,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = $$"""{"id":"bps_{{Guid.NewGuid():N}}","object":"billing_portal.session","url":"https://billing.stripe.com/p/session/test_{{Guid.NewGuid():N}}"}""",
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            }));
        _server.Given(Request.Create().WithPath("/v1/invoice_payments").UsingGet()).RespondWith(Response.Create().WithCallback(InvoicePayments));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v1/subscriptions/[^/]+$")).UsingDelete())
            .RespondWith(Response.Create().WithCallback(request => Json(200, new { id = request.Path["/v1/subscriptions/".Length..], @object = "subscription", status = "canceled" })));
        MapConnect();
    }

    public string Url => _server.Url!;

    /// <summary>The public origin buyers return to in <see cref="Settings"/>.</summary>
    public const string ReturnUrl = "https://4site.example";

    /// <summary>The billing settings of a service that talks to this fake: its address, key, webhook secret and return origin.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["FourSite:Stripe:ApiUrl"] = Url,
        ["FourSite:Stripe:SecretKey"] = SecretKey,
        ["FourSite:Stripe:WebhookSecret"] = WebhookSecret,
        ["FourSite:Stripe:ReturnUrl"] = ReturnUrl,
    };

    /// <summary>Stripe answers every checkout with this status (and an error body) from now on.</summary>
    public void FailCheckouts(HttpStatusCode status) =>
        _server.Given(Request.Create().WithPath(CheckoutPath).UsingPost())
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(new { error = new { type = "api_error", message = "Stripe is having a bad day." } }));

    /// <summary>The form bodies of the checkout sessions created so far, decoded (Stripe's API is form-encoded).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> CheckoutRequests => FormsPostedTo(CheckoutPath);

    private List<IReadOnlyDictionary<string, string>> FormsPostedTo(string path) =>
        _server.LogEntries
            .Where(entry => entry.RequestMessage.Path == path)
            .Select(entry => Form(entry.RequestMessage.Body))
            .ToList();

    /// <summary>A form-encoded body (Stripe's API is form-encoded), decoded.</summary>
    private static IReadOnlyDictionary<string, string> Form(string? body) =>
        (body ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => WebUtility.UrlDecode(pair[0]), pair => pair.Length > 1 ? WebUtility.UrlDecode(pair[1]) : "");

    /// <summary>The <c>Stripe-Signature</c> header Stripe would send with <paramref name="payload"/>.</summary>
    public static string Sign(string payload, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(signature)}";
    }

    /// <summary>
    /// An event as Stripe sends it (API version 2025-10-29.clover), around <paramref name="data"/>; a Connect event names
    /// the connected <paramref name="account"/> it is about.
    /// </summary>
    public static string Event(string type, object data, string? eventId = null, DateTimeOffset? created = null, string? account = null)
    {
        var stripeEvent = new Dictionary<string, object?>
        {
            ["id"] = eventId ?? $"evt_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = "2025-10-29.clover",
            ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["type"] = type,
            ["data"] = new { @object = data },
        };
        if (account is not null)
        {
            stripeEvent["account"] = account;
        }

        return System.Text.Json.JsonSerializer.Serialize(stripeEvent);
    }

    /// <summary>A <c>checkout.session.completed</c> event as Stripe sends it.</summary>
    public static string CheckoutCompleted(string eventId, string sessionId, IReadOnlyDictionary<string, string> metadata, long amountTotal = 1_900,
        string? subscriptionId = null, string? invoiceId = null, string? customerId = null) =>
        Event("checkout.session.completed", new
        {
            id = sessionId,
            @object = "checkout.session",
            amount_total = amountTotal,
            currency = "usd",
            mode = "subscription",
            payment_status = "paid",
            status = "complete",
            client_reference_id = metadata.GetValueOrDefault("site_id"),
            subscription = subscriptionId,
            invoice = invoiceId,
            customer = customerId,
            metadata,
        }, eventId);

    /// <summary>
    /// An <c>invoice.paid</c> (or, with <paramref name="type"/>, <c>invoice.payment_failed</c>) event of a subscription
    /// invoice for the period <paramref name="periodStart"/> to <paramref name="periodEnd"/>, the subscription's metadata
    /// copied onto it as Stripe does.
    /// </summary>
    public static string InvoiceEvent(string invoiceId, string subscriptionId, IReadOnlyDictionary<string, string> metadata, long amountPaid,
        DateTimeOffset periodStart, DateTimeOffset periodEnd, string billingReason = "subscription_cycle", string type = "invoice.paid",
        string customerId = "cus_test_buyer", DateTimeOffset? at = null, string? eventId = null) =>
        Event(type, new
        {
            id = invoiceId,
            @object = "invoice",
            amount_due = amountPaid,
            amount_paid = type == "invoice.paid" ? amountPaid : 0,
            currency = "usd",
            customer = customerId,
            billing_reason = billingReason,
            status = type == "invoice.paid" ? "paid" : "open",
            attempt_count = 1,
            status_transitions = new { paid_at = type == "invoice.paid" ? (at ?? periodStart).ToUnixTimeSeconds() : (long?)null },
            parent = new
            {
                type = "subscription_details",
                subscription_details = new { subscription = subscriptionId, metadata },
            },
            lines = new
            {
                @object = "list",
                has_more = false,
                data = new[]
                {
                    new { id = $"il_{Guid.NewGuid():N}", @object = "line_item", amount = amountPaid, currency = "usd", period = new { start = periodStart.ToUnixTimeSeconds(), end = periodEnd.ToUnixTimeSeconds() } },
                },
            },
        }, eventId, at);

    /// <summary>A <c>customer.subscription.updated</c> or <c>.deleted</c> event: its status, plan (billing interval), period and cancellation.</summary>
    public static string SubscriptionEvent(string type, string subscriptionId, IReadOnlyDictionary<string, string> metadata, string status, string interval,
        DateTimeOffset periodEnd, bool cancelAtPeriodEnd = false, DateTimeOffset? endedAt = null, DateTimeOffset? at = null, string customerId = "cus_test_buyer") =>
        Event(type, new
        {
            id = subscriptionId,
            @object = "subscription",
            status,
            customer = customerId,
            cancel_at_period_end = cancelAtPeriodEnd,
            cancel_at = cancelAtPeriodEnd ? periodEnd.ToUnixTimeSeconds() : (long?)null,
            ended_at = endedAt?.ToUnixTimeSeconds(),
            metadata,
            items = new
            {
                @object = "list",
                has_more = false,
                data = new[]
                {
                    new
                    {
                        id = $"si_{Guid.NewGuid():N}",
                        @object = "subscription_item",
                        current_period_start = periodEnd.AddMonths(-1).ToUnixTimeSeconds(),
                        current_period_end = periodEnd.ToUnixTimeSeconds(),
                        price = new { id = $"price_{interval}", @object = "price", currency = "usd", recurring = new { interval, interval_count = 1 } },
                    },
                },
            },
        }, null, at);

    /// <summary>A <c>charge.refunded</c> event: <paramref name="amountRefunded"/> is the running total refunded of the charge.</summary>
    public static string ChargeRefunded(string paymentIntentId, long amount, long amountRefunded, string? eventId = null) =>
        Event("charge.refunded", new
        {
            id = $"ch_{paymentIntentId}",
            @object = "charge",
            amount,
            amount_refunded = amountRefunded,
            currency = "usd",
            paid = true,
            refunded = amountRefunded >= amount,
            payment_intent = paymentIntentId,
        }, eventId);

    /// <summary>A <c>charge.dispute.created</c> event for the whole payment.</summary>
    public static string DisputeCreated(string paymentIntentId, long amount) =>
        Event("charge.dispute.created", new
        {
            id = $"dp_{Guid.NewGuid():N}",
            @object = "dispute",
            amount,
            currency = "usd",
            charge = $"ch_{paymentIntentId}",
            payment_intent = paymentIntentId,
            reason = "fraudulent",
            status = "needs_response",
        });

    /// <summary>Stripe knows <paramref name="paymentIntentId"/> as the payment of <paramref name="invoiceId"/> (its invoice payments list answers so).</summary>
    public void AddInvoicePayment(string invoiceId, string paymentIntentId, long amount) => _invoicePayments[paymentIntentId] = (invoiceId, amount);

    /// <summary>Stripe answers every invoice payments list with this status from now on (null: answers again).</summary>
    public void FailInvoicePayments(HttpStatusCode? status) => _invoicePaymentsFailure = status;

    private WireMock.ResponseMessage InvoicePayments(WireMock.IRequestMessage request)
    {
        if (_invoicePaymentsFailure is { } failure)
        {
            return Json((int)failure, new { error = new { type = "api_error", message = "Stripe is having a bad day." } });
        }

        var paymentIntent = request.Query is { } query && query.TryGetValue("payment[payment_intent]", out var values) ? values.FirstOrDefault() : null;
        var data = paymentIntent is not null && _invoicePayments.TryGetValue(paymentIntent, out var known)
            ? new object[]
            {
                new
                {
                    id = $"inpay_{paymentIntent}",
                    @object = "invoice_payment",
                    amount_paid = known.Amount,
                    amount_requested = known.Amount,
                    currency = "usd",
                    invoice = known.InvoiceId,
                    is_default = true,
                    status = "paid",
                    payment = new { type = "payment_intent", payment_intent = paymentIntent },
                },
            }
            : [];
        return Json(200, new { @object = "list", url = "/v1/invoice_payments", has_more = false, data });
    }

    private static WireMock.ResponseMessage Json(int status, object body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new WireMock.Util.BodyData { BodyAsString = System.Text.Json.JsonSerializer.Serialize(body), DetectedBodyType = WireMock.Types.BodyType.String },
    };

    /// <summary>The subscriptions cancelled through the API so far.</summary>
    public IReadOnlyList<string> CancelledSubscriptions =>
        [.. _server.LogEntries.Where(entry => entry.RequestMessage.Method == "DELETE" && entry.RequestMessage.Path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal))
            .Select(entry => entry.RequestMessage.Path["/v1/subscriptions/".Length..])];

    /// <summary>The form bodies of the billing portal sessions created so far.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> PortalRequests => FormsPostedTo(PortalPath);

    public void Dispose() => _server.Stop();
}
