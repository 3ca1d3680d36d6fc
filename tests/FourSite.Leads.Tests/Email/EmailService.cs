using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.StandIns;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>The Leads service sending to a real SMTP server on loopback, and what email tests do with it.</summary>
public sealed partial class EmailService : IAsyncDisposable
{
    public const string OperatorKey = "operator-key-for-email-tests";
    public const string PublicUrl = "http://foursite.test";

    private EmailService(ServiceFactory<Program> service, HttpClient client, SmtpCatcher smtp)
    {
        Service = service;
        Client = client;
        Smtp = smtp;
    }

    public ServiceFactory<Program> Service { get; }

    public HttpClient Client { get; }

    public SmtpCatcher Smtp { get; }

    public static Dictionary<string, string?> Settings(SmtpCatcher smtp, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(TestAccounts.Settings)
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
            ["FourSite:Email:Endpoint"] = smtp.Url,
            ["FourSite:Email:PublicUrl"] = PublicUrl,
            ["FourSite:Email:From"] = "FourSite <hello@4site.test>",
            ["FourSite:Email:Connections"] = "2",
            // The catcher, like smtp4dev, answers pipelined commands one write at a time (a delayed ACK per message).
            ["FourSite:Email:Pipelining"] = "false",
            ["FourSite:Email:BatchSize"] = "20",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<EmailService> StartAsync(PlatformServers servers, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? testServices = null)
    {
        var smtp = SmtpCatcher.Start();
        var service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, Settings(smtp, settings)) { TestServices = testServices };
        return new EmailService(service, await service.CreateReadyClientAsync(), smtp);
    }

    public NpgsqlConnection Database() => new(Service.DatabaseConnectionString);

    public IBus Bus => Service.Services.GetRequiredService<IBus>();

    /// <summary>A site Leads has heard of, named "Kite", owned by <paramref name="account"/> and its token; verified when asked.</summary>
    public async Task<Guid> SiteAsync(Guid account, bool verified, string ownerToken = "token-of-an-email-site")
    {
        var siteId = Guid.NewGuid();
        await Bus.Publish(new SiteGenerated(Guid.NewGuid(), siteId, $"kite-{siteId:N}"[..12], "Kite", "octo", "kite", "app", "AppTemplate", Guid.NewGuid(), Credentials.Hash(ownerToken),
            "template", false, 10, DateTimeOffset.UtcNow, account));
        await using var connection = Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM lead_sites WHERE site_id = @siteId)", new { siteId }), known => known);
        if (verified)
        {
            await Bus.Publish(new SiteOwnerChanged(siteId, account, true, null, DateTimeOffset.UtcNow));
            await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT verified FROM lead_sites WHERE site_id = @siteId", new { siteId }), known => known);
        }

        return siteId;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body = null, Guid? account = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, url).As("leads", account, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> CaptureAsync(Guid siteId, string email, bool optIn = true) =>
        Client.PostAsJsonAsync("/api/leads/capture", new { email, siteId, newsletterOptIn = optIn });

    /// <summary>Waits for the <paramref name="count"/>th email to <paramref name="address"/>, and gives them all.</summary>
    public Task<IReadOnlyList<MimeMessage>> MailToAsync(string address, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Smtp.To(address)), messages => messages.Count >= count);

    /// <summary>A visitor who opted in and followed their confirmation link: a confirmed subscriber.</summary>
    public async Task SubscribeAsync(Guid siteId, string email)
    {
        var before = Smtp.To(email).Count;
        (await CaptureAsync(siteId, email)).EnsureSuccessStatusCode();
        var confirmation = (await MailToAsync(email, before + 1))[^1];
        using var confirmed = await Client.PostAsync(LinkPath(confirmation, "/e/confirm/"), null);
        confirmed.EnsureSuccessStatusCode();
    }

    /// <summary>The path of the first link in the message's HTML that starts with <paramref name="prefix"/> on the platform.</summary>
    public static string LinkPath(MimeMessage message, string prefix)
    {
        var match = Regex.Match(message.HtmlBody ?? "", Regex.Escape(PublicUrl + prefix) + "[A-Za-z0-9_-]+");
        Assert.True(match.Success, $"no {prefix} link in: {message.HtmlBody}");
        return match.Value[PublicUrl.Length..];
    }

    public async Task<JsonElement> CountsAsync(Guid siteId, Guid account)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/announcements/subscribers", account: account);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> AnnouncementsAsync(Guid siteId, Guid account)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/announcements", account: account);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Service.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
