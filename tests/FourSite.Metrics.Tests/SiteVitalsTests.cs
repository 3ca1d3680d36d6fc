using System.Net;
using System.Net.Http.Json;
using Dapper;
using FourSite.Metrics.Rum;
using FourSite.Metrics.Vitals;
using FourSite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>Each generated site's real-user Core Web Vitals, from the beacons <c>rum.js</c> sends from its page.</summary>
public sealed class SiteVitalsTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            // The test runs the writer and the assessor itself.
            ["FourSite:Metrics:RollupInterval"] = "01:00:00",
            ["FourSite:Metrics:EvaluationInterval"] = "01:00:00",
            ["FourSite:Metrics:RumFlushInterval"] = "01:00:00",
            ["FourSite:Metrics:VitalsInterval"] = "01:00:00",
        });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    private async Task VisitAsync(string slug, double lcp, double cls, double? inp, string path = "")
    {
        using var response = await _client.PostAsJsonAsync("/api/analytics/rum", new
        {
            type = "core_web_vitals",
            data = new { lcp, cls, inp },
            sessionId = $"visit-{Guid.NewGuid():N}",
            url = $"https://4site.pro/s/{slug}{path}",
            timestamp = DateTimeOffset.UtcNow,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task AssessAsync()
    {
        await _service.Services.GetRequiredService<RumWriter>().DrainAsync(CancellationToken.None);
        await _service.Services.GetRequiredService<SiteVitalsAssessor>().RunOnceAsync(CancellationToken.None);
    }

    private async Task<(double? Lcp, double? Cls, double? Inp, int Samples, string Assessment)> AssessedAsync(string slug)
    {
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        return await connection.QuerySingleOrDefaultAsync<(double? Lcp, double? Cls, double? Inp, int Samples, string Assessment)>(
            "SELECT lcp_p75, cls_p75, inp_p75, samples, assessment FROM site_vitals WHERE site_slug = @slug", new { slug });
    }

    private async Task<int> AnnouncedAsync(string slug)
    {
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Metrics.SiteVitalsAssessed,%' AND body->>'slug' = @slug", new { slug });
    }

    [Fact]
    public async Task Twenty_fast_visits_make_a_site_good_and_fewer_are_not_enough()
    {
        var slug = $"kite-{Guid.NewGuid():N}"[..20];
        for (var visit = 0; visit < 19; visit++)
        {
            await VisitAsync(slug, lcp: 1000 + visit * 50, cls: 0.01, inp: 80, path: visit % 2 == 0 ? "" : "?via=twitter#features");
        }

        await AssessAsync();
        Assert.Equal(VitalsAssessment.InsufficientSamples, (await AssessedAsync(slug)).Assessment);

        await VisitAsync(slug, lcp: 1200, cls: 0.02, inp: 120);
        await AssessAsync();
        var good = await AssessedAsync(slug);
        Assert.Equal((VitalsAssessment.Good, 20), (good.Assessment, good.Samples));
        // The 75th percentile (interpolated) of 1000, 1050, … 1900 and 1200.
        Assert.InRange(good.Lcp!.Value, 1600, 1700);
        Assert.True(await AnnouncedAsync(slug) >= 2);
    }

    [Fact]
    public async Task A_slow_page_is_poor_and_old_or_foreign_beacons_do_not_count()
    {
        var slug = $"slow-{Guid.NewGuid():N}"[..20];
        var other = $"fast-{Guid.NewGuid():N}"[..20];
        for (var visit = 0; visit < 24; visit++)
        {
            // A quarter of visitors see a slow page: the 75th percentile is over 2.5 s.
            await VisitAsync(slug, lcp: visit % 4 == 0 ? 900 : 3200, cls: 0.01, inp: null);
            await VisitAsync(other, lcp: 900, cls: 0.3, inp: 60);
        }

        // Beacons older than the 7-day window are not counted.
        await using (var connection = new NpgsqlConnection(_service.DatabaseConnectionString))
        {
            await connection.ExecuteAsync("""
                INSERT INTO rum_beacons (id, type, url, lcp_ms, cls, inp_ms, occurred_at)
                SELECT gen_random_uuid(), 'core_web_vitals', 'https://4site.pro/s/' || @slug, 500, 0, 10, now() - interval '8 days' FROM generate_series(1, 30)
                """, new { slug });
        }

        await AssessAsync();

        var slow = await AssessedAsync(slug);
        Assert.Equal((VitalsAssessment.Poor, 24), (slow.Assessment, slow.Samples));
        Assert.Null(slow.Inp);
        var shifty = await AssessedAsync(other);
        Assert.Equal(VitalsAssessment.Poor, shifty.Assessment);
        Assert.Equal(0.3, shifty.Cls!.Value, 3);
    }

    [Theory]
    [InlineData(2500d, 0.1, 200d, 20, VitalsAssessment.Good)]
    [InlineData(2501d, 0.1, 200d, 20, VitalsAssessment.Poor)]
    [InlineData(2500d, 0.11, 200d, 20, VitalsAssessment.Poor)]
    [InlineData(2500d, 0.1, 201d, 20, VitalsAssessment.Poor)]
    [InlineData(900d, 0.01, null, 20, VitalsAssessment.Good)]
    [InlineData(900d, 0.01, 50d, 19, VitalsAssessment.InsufficientSamples)]
    public void Good_means_every_vital_within_googles_thresholds_with_enough_samples(double lcp, double cls, double? inp, int samples, string expected) =>
        Assert.Equal(expected, VitalsAssessment.Of(lcp, cls, inp, samples));

    [Fact]
    public async Task Raw_beacons_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.ExecuteAsync("""
            INSERT INTO rum_beacons (id, type, session_id, occurred_at) VALUES
                (gen_random_uuid(), 'page_load', 'retention-old', now() - interval '31 days'),
                (gen_random_uuid(), 'page_load', 'retention-new', now() - interval '29 days')
            """);

        await _service.Services.GetRequiredService<RumRetentionJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE session_id = 'retention-old'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE session_id = 'retention-new'"));
    }
}
