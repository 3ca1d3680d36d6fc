using Npgsql;

namespace FourSite.Ops;

/// <summary>Every table each service's migrations create, checked on the PostgreSQL server of a deployment.</summary>
public static class TableChecks
{
    public static readonly IReadOnlyDictionary<string, string[]> Tables = new Dictionary<string, string[]>
    {
        ["generationdb"] = ["websites", "generation_jobs", "accounts", "custom_domains", "outbox_messages"],
        ["leadsdb"] = ["leads", "lead_sites", "removed_sites", "outbox_messages"],
        ["viraldb"] = ["shares", "viral_scores", "auto_featuring_events", "referral_codes", "commissions", "share_visits", "conversions", "upgrades", "stripe_events", "accounts", "subscriptions", "commission_payouts", "outbox_messages"],
        ["metricsdb"] = ["analytics_events", "daily_business_metrics", "alerts", "rum_beacons", "health_samples", "scheduled_runs", "site_pro", "outbox_messages"],
    };

    /// <summary>One check per database: its tables all exist. Without a connection string the checks are skipped.</summary>
    public static async Task RunAsync(string? serverConnectionString, CheckReport report, CancellationToken cancellationToken)
    {
        foreach (var (database, expected) in Tables)
        {
            await report.RunAsync($"tables of {database}", async () =>
            {
                if (serverConnectionString is null)
                {
                    throw new SkipException("no --postgres connection string to look with");
                }

                var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
                var present = new HashSet<string>();
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        present.Add(reader.GetString(0));
                    }
                }

                var missing = expected.Where(table => !present.Contains(table)).ToList();
                SmokeChecks.Expect(missing.Count == 0, $"missing: {string.Join(", ", missing)}");
                return $"{expected.Length} tables";
            });
        }
    }
}
