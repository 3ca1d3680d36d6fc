using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Telemetry;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;
using Xunit;

namespace FourSite.Leads.Tests;

/// <summary>
/// What the service traces, as exported: every request whole (its database calls beneath it), and none of the outbox
/// relay's idle polling, which used to open a root trace every second.
/// </summary>
public sealed class TracingTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private readonly List<Activity> _exported = [];
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>(TestAccounts.Settings))
        {
            TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exported)),
        };
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task Idle_polling_leaves_no_trace_and_a_capture_keeps_its_database_calls()
    {
        var siteId = Guid.NewGuid();
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), siteId, "trace-1234", "Trace", "octo", "trace", "app", "AppTemplate",
            Guid.NewGuid(), Credentials.Hash("token"), "template", false, 10, DateTimeOffset.UtcNow, null));
        await using (var connection = new NpgsqlConnection(_service.DatabaseConnectionString))
        {
            await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM lead_sites WHERE site_id = @siteId)", new { siteId }), known => known);
        }

        // The relay polls its outbox every second: three rounds with nothing to send.
        await Task.Delay(TimeSpan.FromSeconds(3));
        // The capture's own trace: tracing listens process-wide, and other tests' services run beside this one.
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/capture") { Content = JsonContent.Create(new { email = "traced@example.com", siteId }) };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var captured = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, captured.StatusCode);

        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(Snapshot()), all => all.Any(span => span.TraceId == trace && span.Kind == ActivityKind.Server));
        Assert.Contains(spans, span => span.TraceId == trace && span.Kind == ActivityKind.Client && span.Source.Name == "Npgsql");
        Assert.DoesNotContain(spans, span => span.ParentSpanId == default && span.Kind == ActivityKind.Client && span.Source.Name == "Npgsql");
    }

    [Theory]
    [InlineData(null, null, "ParentBased{AlwaysOnSampler}")]
    [InlineData("always_off", null, "AlwaysOffSampler")]
    [InlineData("parentbased_traceidratio", "0.25", "ParentBased{TraceIdRatioBasedSampler{0.250000}}")]
    [InlineData("traceidratio", "2", "TraceIdRatioBasedSampler{1.000000}")]
    public void Operators_choose_the_sampler_with_the_standard_settings(string? sampler, string? argument, string description)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = sampler,
            ["OTEL_TRACES_SAMPLER_ARG"] = argument,
        }).Build();

        Assert.Equal(description, BackgroundCallsSampler.FromConfiguration(configuration).Configured.Description);
    }

    /// <summary>A copy of what was exported so far (the exporter keeps adding while the service runs).</summary>
    private List<Activity> Snapshot()
    {
        while (true)
        {
            try
            {
                return [.. _exported];
            }
            catch (InvalidOperationException)
            {
                // Added to while copied: copy again.
            }
        }
    }
}
