using FourSite.Testing;

namespace FourSite.Leads.Tests;

public sealed class StartupTests(PlatformServers servers) : ServiceStartupTests<Program>(servers)
{
    protected override string DatabaseName => ApplicationServiceExtensions.DatabaseName;

    protected override string[] OwnedTables => ["leads", "lead_sites", "removed_sites", "webhooks", "webhook_deliveries", "webhook_attempts", "subscriptions", "email_tokens",
        "global_unsubscribes", "email_suppressions", "announcements", "announcement_settings", "notification_addresses", "lead_notification_settings", "outgoing_emails", "suspended_sites", "site_flags"];
}
