using System.Text.Json;
using FourSite.Ops.Scanning;
using FourSite.ServiceDefaults.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace FourSite.Security.Tests;

/// <summary>
/// The API baseline scan against a small service with planted faults, documented by the platform's own OpenAPI set-up:
/// each fault is found and named with its operation and input, and the sound operations give no finding.
/// </summary>
public sealed class ApiBaselineScanTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<CredentialsInOpenApi>();
            options.AddOperationTransformer<CredentialsInOpenApi>();
        });
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await next();
        });
        _app.MapOpenApi();

        // Sound: typed, validated, protected as documented.
        _app.MapGet("/api/items/{id:guid}", (Guid id) => Results.Ok(new { id }));
        _app.MapPost("/api/items", (Item item) => string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > 100
            ? Results.Problem(statusCode: 400, title: "name is required (at most 100 characters)")
            : Results.Created($"/api/items/{Guid.NewGuid()}", item));
        _app.MapGet("/api/secrets", (HttpContext context) => context.Request.Headers.ContainsKey("X-Api-Key") ? Results.Ok() : Results.Unauthorized())
            .Requires(Credential.OperatorKey);

        // Planted: a 500 on a quote, a stack trace in a 400, a protected call that checks nothing, a page without headers.
        _app.MapGet("/api/search", (string q) => q.Contains('\'', StringComparison.Ordinal) ? throw new InvalidOperationException("syntax error at or near \"'\"") : Results.Ok());
        _app.MapGet("/api/parse", (string n) =>
        {
            try
            {
                return Results.Ok(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (FormatException exception)
            {
                return Results.BadRequest(exception.ToString());
            }
        });
        _app.MapDelete("/api/everything", () => Results.NoContent()).Requires(Credential.SiteOwner);
        _app.MapGet("/page", () => Results.Content("<html><body>hello</body></html>", "text/html"));

        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_planted_fault_is_found_with_its_operation_and_input()
    {
        var findings = await ScanAsync();

        Assert.Contains(findings, finding => finding is { Operation: "GET /api/search", Input: "q: SQL injection", Status: 500, Problem: "server error" });
        Assert.Contains(findings, finding => finding.Operation == "GET /api/parse" && finding.Input == "n: wrong type" && finding.Status == 400
            && finding.Problem.StartsWith("internal detail in the answer", StringComparison.Ordinal));
        Assert.Contains(findings, finding => finding is { Operation: "DELETE /api/everything", Input: "no credentials", Status: 204, Problem: "a protected call answered without credentials" });
        Assert.Contains(findings, finding => finding is { Operation: "GET /page", Problem: "a page without Content-Security-Policy" });
        Assert.Contains(findings, finding => finding is { Operation: "GET /page", Problem: "a page without Referrer-Policy" });
    }

    [Fact]
    public async Task Sound_operations_give_no_finding()
    {
        var findings = await ScanAsync();

        Assert.DoesNotContain(findings, finding => finding.Operation.Contains("/api/items", StringComparison.Ordinal) || finding.Operation == "GET /api/secrets");
    }

    private async Task<IReadOnlyList<ScanFinding>> ScanAsync()
    {
        var document = JsonDocument.Parse(await _client!.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        return await new ApiBaselineScan(_client, new ScanCredentials("operator-key", "owner-token", null)).RunAsync([document], ["/page"], CancellationToken.None);
    }

    public sealed record Item(string Name, int Quantity);
}
