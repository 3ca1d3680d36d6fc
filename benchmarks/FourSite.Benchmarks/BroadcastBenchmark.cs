using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Claims;
using Dapper;
using FourSite.ServiceDefaults.Identity;
using Npgsql;

namespace FourSite.Benchmarks;

/// <summary>
/// One announcement to a site's confirmed subscribers (10,000 by default), sent by its verified maintainer through the
/// Leads API to the local run's mail catcher: how long the send call takes, the emails a second from the first to the
/// last accepted by the catcher, and the Leads process's memory while it streams them.
/// </summary>
public static class BroadcastBenchmark
{
    /// <summary>The key accounts are signed with in this run, so the benchmark can act as the maintainer.</summary>
    public const string SigningKey = "benchmark-identity-signing-key-0123456789";

    public static async Task RunAsync(RunningPlatform platform, int subscribers)
    {
        await using var leadsDb = new NpgsqlConnection(await platform.ConnectionStringAsync("leadsdb"));
        using var leads = platform.Client("leads");
        var maintainer = Guid.NewGuid();
        var siteId = Guid.NewGuid();
        // A verified site as Leads knows it from its events, and its confirmed subscribers (as if each had followed their link).
        await leadsDb.ExecuteAsync("""
            INSERT INTO lead_sites (site_id, owner_id, owner_token_hash, account_id, verified, slug, title) VALUES (@siteId, @siteId, 'none', @maintainer, true, 'bench-kite', 'Bench Kite');
            INSERT INTO subscriptions (id, site_id, email, email_normalized, status, unsubscribe_token, consent_version, consent_wording, captured_at, confirmed_at)
            SELECT gen_random_uuid(), @siteId, 'reader' || n || '@bench.example', 'reader' || n || '@bench.example', 'confirmed',
                   md5(random()::text) || md5(random()::text), 'benchmark', 'benchmark', now(), now()
            FROM generate_series(1, @subscribers) AS n;
            """, new { siteId, maintainer, subscribers });
        Console.WriteLine($"{subscribers:N0} confirmed subscribers seeded.");

        var memoryBefore = ProcessUsage.ResidentMebibytes()["leads"];
        var cpuBefore = ProcessUsage.CpuMilliseconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/announcements")
        {
            Content = JsonContent.Create(new { subject = "Bench Kite 1.0", markdown = "Bench Kite **1.0** is out: [notes](https://bench.example/1.0).", audience = "subscribers" }),
        };
        request.Headers.Add(AccountTokens.Header, AccountTokens.Issue(new IdentityOptions { SigningKey = SigningKey }, "leads", [new Claim(AccountTokens.AccountIdClaim, maintainer.ToString())], DateTime.UtcNow));
        var clock = Stopwatch.StartNew();
        using var response = await leads.SendAsync(request);
        var accepted = clock.Elapsed;
        response.EnsureSuccessStatusCode();
        Console.WriteLine($"send call: {(int)response.StatusCode} in {accepted.TotalMilliseconds:F0} ms ({await response.Content.ReadAsStringAsync()})");

        var peakMemory = memoryBefore;
        var polls = 0;
        (int Sent, int Pending, DateTime? First, DateTime? Last) progress;
        do
        {
            await Task.Delay(250);
            // Reading every process's memory costs CPU of its own: every 2 s is enough to see a peak.
            if (++polls % 8 == 0)
            {
                peakMemory = Math.Max(peakMemory, ProcessUsage.ResidentMebibytes()["leads"]);
            }

            progress = await leadsDb.QuerySingleAsync<(int, int, DateTime?, DateTime?)>("""
                SELECT count(*) FILTER (WHERE status = 'sent')::int, count(*) FILTER (WHERE status = 'pending')::int, min(sent_at), max(sent_at)
                FROM outgoing_emails WHERE site_id = @siteId AND kind = 'announcement'
                """, new { siteId });
        }
        while (progress.Pending > 0 && clock.Elapsed < TimeSpan.FromMinutes(10));

        var total = clock.Elapsed;
        var cpu = ProcessUsage.CpuMilliseconds();
        var sending = (progress.Last - progress.First)?.TotalSeconds ?? 0;
        Console.WriteLine($"sent {progress.Sent:N0} of {subscribers:N0} in {total.TotalSeconds:F1} s from the send call: " +
            $"{progress.Sent / Math.Max(sending, 0.001):F0} emails/s from the first to the last accepted ({sending:F1} s), {progress.Sent / total.TotalSeconds:F0}/s overall");
        Console.WriteLine($"Leads memory: {memoryBefore:F0} MiB before, {peakMemory:F0} MiB at most while sending");
        Console.WriteLine("CPU per email (ms): " + string.Join(", ", ProcessUsage.Groups.Select(group => (group, ms: (cpu[group] - cpuBefore[group]) / Math.Max(1, progress.Sent)))
            .Where(part => part.ms >= 0.01).Select(part => $"{part.group} {part.ms:F2}")));
    }
}
