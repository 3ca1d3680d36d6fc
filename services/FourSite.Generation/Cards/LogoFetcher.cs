using System.Net.Http.Headers;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;
using Microsoft.Security.AntiSSRF;

namespace FourSite.Generation.Cards;

/// <summary>
/// Fetches a README's logo for a card, once: HTTPS only, every connection's resolved address checked as it is made (no
/// loopback, private, link-local or metadata ranges), no redirects, at most <see cref="SitePagesOptions.MaxLogoBytes"/>,
/// an image type only. Anything else is no logo, never an error the card cannot survive.
/// </summary>
public sealed partial class LogoFetcher : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly HttpClient _client;
    private readonly int _maxBytes;
    private readonly ILogger<LogoFetcher> _logger;

    public LogoFetcher(IOptions<SitePagesOptions> options, ILogger<LogoFetcher> logger)
    {
        var handler = ExternalOnlyHandler.Create(options.Value.ImagesAllowLoopback);
        _client = new HttpClient(handler) { Timeout = Timeout };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("FourSite-Cards/1.0 (+https://4site.pro)");
        _maxBytes = options.Value.MaxLogoBytes;
        _logger = logger;
    }

    /// <summary>The image at <paramref name="url"/>, or null (with the reason logged) when it may not or cannot be used.</summary>
    public async Task<byte[]?> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("https" or "http"))
        {
            return null;
        }

        try
        {
            using var response = await _client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode || !IsImage(response.Content.Headers.ContentType) || response.Content.Headers.ContentLength > _maxBytes)
            {
                LogRefused(_logger, address.Host, $"status {(int)response.StatusCode}, type {response.Content.Headers.ContentType?.MediaType ?? "none"}, length {response.Content.Headers.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}");
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > _maxBytes)
                {
                    LogRefused(_logger, address.Host, $"larger than {_maxBytes} bytes");
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or AntiSSRFException && !cancellationToken.IsCancellationRequested)
        {
            LogRefused(_logger, address.Host, exception.Message);
            return null;
        }
    }

    public void Dispose() => _client.Dispose();

    private static bool IsImage(MediaTypeHeaderValue? type) =>
        type?.MediaType is "image/png" or "image/jpeg" or "image/gif" or "image/webp" or "image/svg+xml";

    [LoggerMessage(Level = LogLevel.Information, Message = "A logo from {Host} was not used on a card: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);
}
