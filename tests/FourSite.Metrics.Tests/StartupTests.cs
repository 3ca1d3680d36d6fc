using FourSite.Testing;

namespace FourSite.Metrics.Tests;

public sealed class StartupTests(PlatformServers servers) : ServiceStartupTests<Program>(servers)
{
    protected override string DatabaseName => ApplicationServiceExtensions.DatabaseName;

    protected override string[] OwnedTables =>
        ["analytics_events", "daily_business_metrics", "alerts", "alert_deliveries", "alert_silences", "releases", "rum_beacons", "health_samples", "request_minutes", "scheduled_runs", "site_vitals", "site_pro", "visitor_salts", "analytics_sites", "site_analytics_rollups", "site_traffic_daily", "site_breakdowns_daily", "site_shares_daily", "site_vitals_daily"];
}
