using FourSite.Testing;

namespace FourSite.Generation.Tests;

public sealed class StartupTests(PlatformServers servers) : ServiceStartupTests<Program>(servers)
{
    protected override string DatabaseName => ApplicationServiceExtensions.DatabaseName;

    protected override string[] OwnedTables => ["websites", "generation_jobs", "accounts", "github_deliveries", "custom_domains", "site_reports", "moderation_actions", "blocks", "site_cards", "content_edits"];
}
