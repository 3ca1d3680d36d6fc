using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FourSite.Leads.Tests.Webhooks;

/// <summary>The Leads service with quick retries and loopback targets allowed, and what webhook tests do with it.</summary>
public sealed class WebhookService : IAsyncDisposable
{
    public const string OperatorKey = "operator-key-for-webhook-tests";

    public static readonly Dictionary<string, string?> Settings = new(TestAccounts.Settings)
    {
        ["FourSite:Operator:ApiKey"] = OperatorKey,
        ["FourSite:Webhooks:AllowLoopback"] = "true",
        ["FourSite:Webhooks:RetrySchedule:0"] = "00:00:01",
        ["FourSite:Webhooks:RetrySchedule:1"] = "00:00:01",
        ["FourSite:Webhooks:RetrySchedule:2"] = "00:00:01",
        ["FourSite:Webhooks:RetrySchedule:3"] = "00:00:01",
        ["FourSite:Webhooks:Timeout"] = "00:00:02",
    };

    private WebhookService(ServiceFactory<Program> service, HttpClient client)
    {
        Service = service;
        Client = client;
    }

    public ServiceFactory<Program> Service { get; }

    public HttpClient Client { get; }

    public static async Task<WebhookService> StartAsync(PlatformServers servers, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, settings ?? Settings);
        return new WebhookService(service, await service.CreateReadyClientAsync());
    }

    public NpgsqlConnection Database() => new(Service.DatabaseConnectionString);

    public IBus Bus => Service.Services.GetRequiredService<IBus>();

    /// <summary>A site Leads has heard of, owned by <paramref name="ownerToken"/> (and <paramref name="account"/>).</summary>
    public async Task<Guid> SiteAsync(string ownerToken, Guid? account = null)
    {
        var siteId = Guid.NewGuid();
        await Bus.Publish(new SiteGenerated(Guid.NewGuid(), siteId, "kite-1234", "Kite", "octo", "kite", "app", "AppTemplate", Guid.NewGuid(), Credentials.Hash(ownerToken),
            "template", false, 10, DateTimeOffset.UtcNow, account));
        await using var connection = Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM lead_sites WHERE site_id = @siteId)", new { siteId }), known => known);
        return siteId;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, string? token = null, Guid? account = null, string? operatorKey = null)
    {
        using var request = new HttpRequestMessage(method, url).As("leads", account, token);
        if (operatorKey is not null)
        {
            request.Headers.Add("X-Api-Key", operatorKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>Adds a webhook as the site's owner; returns its id and its secret.</summary>
    public async Task<(Guid Id, string Secret)> AddWebhookAsync(Guid siteId, string url, string[] events, string? token = null, Guid? account = null)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/webhooks", new { url, events }, token, account);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("webhookId").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    public Task<HttpResponseMessage> CaptureAsync(Guid siteId, string email) =>
        Client.PostAsJsonAsync("/api/leads/capture", new { email, siteId, newsletterOptIn = true, projectInterests = new[] { "AI/ML" } });

    public async Task<JsonElement> DeliveriesAsync(Guid siteId, Guid webhookId, string? token = null, Guid? account = null)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/webhooks/{webhookId}/deliveries", token: token, account: account);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Service.DisposeAsync();
    }
}
