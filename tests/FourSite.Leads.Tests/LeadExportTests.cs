using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>A site's owner takes every lead away as CSV or JSON, against real PostgreSQL, Redis and RabbitMQ.</summary>
public sealed class LeadExportTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>(TestAccounts.Settings));
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    private async Task<Guid> SiteAsync(string ownerToken, Guid? account = null)
    {
        var siteId = Guid.NewGuid();
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), siteId, "kite-1234", "Kite", "octo", "kite", "app", "AppTemplate",
            Guid.NewGuid(), Credentials.Hash(ownerToken), "template", false, 10, DateTimeOffset.UtcNow, account));
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM lead_sites WHERE site_id = @siteId)", new { siteId }), known => known);
        return siteId;
    }

    private Task<HttpResponseMessage> CaptureAsync(Guid siteId, string email, bool spam = false) => _client.PostAsJsonAsync("/api/leads/capture", new Dictionary<string, object?>
    {
        ["email"] = email,
        ["siteId"] = siteId,
        ["website"] = spam ? "https://bot.example" : null,
    });

    private async Task<HttpResponseMessage> ExportAsync(Guid siteId, string format, string? token = null, Guid? account = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/leads/export?siteId={siteId}&format={format}").As("leads", account, token);
        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task The_owner_exports_every_lead_formula_safe_with_emails_as_the_list_shows_them()
    {
        var maker = Guid.NewGuid();
        var siteId = await SiteAsync("token-of-an-exported-site", maker);
        await CaptureAsync(siteId, "ada@engines.io");
        await CaptureAsync(siteId, "=cmd@evil.io");
        await CaptureAsync(siteId, "bot@spam.io", spam: true);
        await CaptureAsync(Guid.NewGuid(), "elsewhere@example.com");

        using var masked = await ExportAsync(siteId, "csv", token: "token-of-an-exported-site");
        Assert.Equal(HttpStatusCode.OK, masked.StatusCode);
        Assert.Equal("text/csv", masked.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"leads-{siteId}.csv", masked.Content.Headers.ContentDisposition?.FileNameStar);
        var lines = (await masked.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("leadId,siteId,email,leadScore,", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, line => line.Contains(",a***@engines.io,", StringComparison.Ordinal));
        // A masked address that would start a formula is still text.
        Assert.Contains(lines, line => line.Contains(",'=***@evil.io,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("spam.io", StringComparison.Ordinal) || line.Contains("elsewhere", StringComparison.Ordinal));

        // The verified maintainers' account sees the addresses, in JSON too.
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteOwnerChanged(siteId, maker, Verified: true, Credentials.Hash("token-of-an-exported-site"), DateTimeOffset.UtcNow));
        var emails = await Eventually.ReturnsAsync(async () =>
        {
            using var json = await ExportAsync(siteId, "json", account: maker);
            return (await json.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(lead => lead.GetProperty("email").GetString()!).Order().ToArray();
        }, found => found.Contains("ada@engines.io"));
        Assert.Equal(["=cmd@evil.io", "ada@engines.io"], emails);
        using var csv = await ExportAsync(siteId, "csv", account: maker);
        Assert.Contains(",'=cmd@evil.io,", await csv.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Nobody_but_the_owner_exports_and_bad_queries_are_told_why()
    {
        var owner = Guid.NewGuid();
        var siteId = await SiteAsync("token-of-a-guarded-site", owner);
        await CaptureAsync(siteId, "guarded@example.com");

        Assert.Equal(HttpStatusCode.Unauthorized, (await ExportAsync(siteId, "csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ExportAsync(siteId, "csv", token: "someone-elses-token")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ExportAsync(siteId, "json", account: Guid.NewGuid())).StatusCode);
        // An unknown site is a 404 to a caller with a credential (it may be a site just generated); to nobody else.
        Assert.Equal(HttpStatusCode.NotFound, (await ExportAsync(Guid.NewGuid(), "csv", token: "token-of-a-guarded-site")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ExportAsync(Guid.NewGuid(), "csv")).StatusCode);

        using var badFormat = await ExportAsync(siteId, "xlsx", token: "token-of-a-guarded-site");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Equal("invalid_format", (await badFormat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        using var badSite = new HttpRequestMessage(HttpMethod.Get, "/api/leads/export?siteId=not-a-uuid").As("leads", owner);
        using var badSiteAnswer = await _client.SendAsync(badSite);
        Assert.Equal(HttpStatusCode.BadRequest, badSiteAnswer.StatusCode);
        Assert.Equal("application/problem+json", badSiteAnswer.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_hundred_thousand_leads_stream_out_row_by_row()
    {
        var siteId = await SiteAsync("token-of-a-big-site");
        await using (var connection = new NpgsqlConnection(_service.DatabaseConnectionString))
        {
            await connection.ExecuteAsync("""
                INSERT INTO leads (id, site_id, email, email_normalized, lead_score, score_breakdown, captured_at)
                SELECT gen_random_uuid(), @siteId, 'person' || n || '@example.com', 'person' || n || '@example.com', n % 101, '{}', now() - n * interval '1 second'
                FROM generate_series(1, 100000) AS n
                """, new { siteId });
        }

        using var response = await ExportAsync(siteId, "csv", token: "token-of-a-big-site");
        // Written as read: no length is known up front, the rows arrive in chunks.
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        var rows = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            rows += line.Length > 0 ? 1 : 0;
        }

        Assert.Equal(100_001, rows);
    }
}
