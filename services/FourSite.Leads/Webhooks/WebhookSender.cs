using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Security.AntiSSRF;
using StandardWebhooks;

namespace FourSite.Leads.Webhooks;

/// <summary>
/// Makes one attempt: signs the delivery as Standard Webhooks says (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,…</c>, one signature per valid secret) and posts it with a timeout.
/// </summary>
public sealed class WebhookSender(WebhookHttpClient http, IOptionsMonitor<WebhookOptions> options, TimeProvider clock)
{
    public async Task<AttemptOutcome> SendAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow();
        var signatures = new[] { delivery.Secret, delivery.PreviousSecret }
            .OfType<string>()
            .Select(secret => new StandardWebhook(secret).Sign(delivery.MessageId, timestamp, delivery.Payload));

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", string.Join(' ', signatures));

        var timeout = options.CurrentValue.Timeout;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return new AttemptOutcome((int)response.StatusCode, Elapsed(started), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(null, Elapsed(started), $"No answer within {timeout.TotalSeconds:0} s.");
        }
        catch (Exception exception) when (Blocked(exception))
        {
            return new AttemptOutcome(null, Elapsed(started), "The target resolves to an address webhooks may not reach (private, loopback, link-local or metadata).");
        }
        catch (HttpRequestException exception)
        {
            return new AttemptOutcome(null, Elapsed(started), exception.HttpRequestError == HttpRequestError.NameResolutionError
                ? "The target's host name does not resolve."
                : $"The connection failed: {exception.Message}");
        }
    }

    private static bool Blocked(Exception exception) =>
        exception is AntiSSRFException || exception.InnerException is AntiSSRFException || exception.InnerException?.InnerException is AntiSSRFException;

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
