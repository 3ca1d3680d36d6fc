using FourSite.Testing;

namespace FourSite.Viral.Tests;

public sealed class StartupTests(PlatformServers servers) : ServiceStartupTests<Program>(servers)
{
    protected override string DatabaseName => ApplicationServiceExtensions.DatabaseName;

    protected override string[] OwnedTables =>
        ["shares", "viral_scores", "auto_featuring_events", "referral_codes", "commissions", "share_visits", "conversions", "upgrades", "stripe_events", "accounts", "subscriptions", "commission_payouts", "suspended_sites", "payout_accounts", "payout_transfers", "score_increments", "share_counts"];
}
