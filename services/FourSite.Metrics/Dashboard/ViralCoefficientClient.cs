using System.Globalization;
using System.Text.Json;
using FourSite.ServiceDefaults;

namespace FourSite.Metrics.Dashboard;

/// <summary>A day's verified viral coefficient, as the Viral service computes it from its own records.</summary>
public sealed partial class ViralCoefficientClient(IHttpClientFactory httpClients, ILogger<ViralCoefficientClient> logger)
{
    public const string HttpClientName = ResourceNames.Viral;

    /// <summary>The coefficient and the shares behind it, or null while Viral cannot say.</summary>
    public async Task<(double Coefficient, int Shares)?> ForDayAsync(DateOnly date, CancellationToken cancellationToken)
    {
        try
        {
            var body = await httpClients.CreateClient(HttpClientName).GetFromJsonAsync<JsonElement>($"/api/viral/coefficient?date={date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", cancellationToken);
            return (body.GetProperty("viralCoefficient").GetDouble(), body.GetProperty("shares").GetInt32());
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
            or Polly.ExecutionRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, date, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Viral coefficient for {Date} not read from the Viral service: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, DateOnly date, string reason);
}
