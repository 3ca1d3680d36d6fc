using System.Net;
using System.Security.Cryptography;
using System.Text;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FourSite.Testing.Fakes;

/// <summary>
/// Stripe's HTTP API faked on loopback (Stripe is not reachable from tests): creating a Checkout session answers a
/// session with a checkout URL, as Stripe does; <see cref="Sign"/> signs webhook payloads the way Stripe does.
/// </summary>
public sealed class StripeFake : IDisposable
{
    public const string SecretKey = "sk_test_fake_foursite";
    public const string WebhookSecret = "whsec_fake_foursite";
    public const string CheckoutPath = "/v1/checkout/sessions";

    private readonly WireMockServer _server = WireMockServer.Start();

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
    }

    public string Url => _server.Url!;

    /// <summary>Stripe answers every checkout with this status (and an error body) from now on.</summary>
    public void FailCheckouts(HttpStatusCode status) =>
        _server.Given(Request.Create().WithPath(CheckoutPath).UsingPost())
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(new { error = new { type = "api_error", message = "Stripe is having a bad day." } }));

    /// <summary>The form bodies of the checkout sessions created so far, decoded (Stripe's API is form-encoded).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> CheckoutRequests =>
        _server.LogEntries
            .Where(entry => entry.RequestMessage.Path == CheckoutPath)
            .Select(entry => (IReadOnlyDictionary<string, string>)(entry.RequestMessage.Body ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => WebUtility.UrlDecode(pair[0]), pair => pair.Length > 1 ? WebUtility.UrlDecode(pair[1]) : ""))
            .ToList();

    /// <summary>The <c>Stripe-Signature</c> header Stripe would send with <paramref name="payload"/>.</summary>
    public static string Sign(string payload, string secret = WebhookSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(signature)}";
    }

    /// <summary>A <c>checkout.session.completed</c> event as Stripe sends it.</summary>
    public static string CheckoutCompleted(string eventId, string sessionId, IReadOnlyDictionary<string, string> metadata, long amountTotal = 1_900) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            id = eventId,
            @object = "event",
            api_version = "2025-10-29.clover",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            livemode = false,
            pending_webhooks = 1,
            type = "checkout.session.completed",
            data = new
            {
                @object = new
                {
                    id = sessionId,
                    @object = "checkout.session",
                    amount_total = amountTotal,
                    currency = "usd",
                    mode = "subscription",
                    payment_status = "paid",
                    status = "complete",
                    client_reference_id = metadata.GetValueOrDefault("site_id"),
                    metadata,
                },
            },
        });

    public void Dispose() => _server.Stop();
}
