using FourSite.AppHost;
using FourSite.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddPlatformInfrastructure();
var settings = new PlatformSettings(builder);

var gateway = builder.AddProject<Projects.FourSite_Gateway>(ResourceNames.Gateway)
    .WithDirectHttpEndpoint(settings.GatewayPortOrDefault)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache);
settings.Pass(gateway, PlatformSettings.RateLimitingEnabled, "true");
settings.PassSecret(gateway, PlatformSettings.OperatorApiKey);
settings.PassList(gateway, PlatformSettings.OperatorGitHubLogins);
settings.PassSecret(gateway, PlatformSettings.IdentitySigningKey);
settings.Pass(gateway, PlatformSettings.GitHubApiUrl, "https://api.github.com");
settings.Pass(gateway, PlatformSettings.GitHubOAuthClientId);
settings.PassSecret(gateway, PlatformSettings.GitHubOAuthClientSecret);
settings.Pass(gateway, PlatformSettings.GitHubOAuthAuthorizeUrl);
settings.Pass(gateway, PlatformSettings.GitHubOAuthTokenUrl);
settings.PassList(gateway, PlatformSettings.PlatformHosts);
settings.Pass(gateway, PlatformSettings.PrivacyNoticeFile);
settings.Pass(gateway, PlatformSettings.ImprintFile);
settings.PassTelemetry(gateway);
settings.PassRuntime(gateway);

var generationDb = infrastructure.AddDatabase("generationdb");
var generation = builder.AddServiceSlots<Projects.FourSite_Generation>(ResourceNames.Generation, gateway, generation =>
{
    generation.WithPlatformInfrastructure(infrastructure, generationDb).WithHttpHealthCheck("/health");
    settings.PassTelemetry(generation);
    settings.PassRuntime(generation);
    settings.PassSecret(generation, PlatformSettings.IdentitySigningKey);
    settings.PassSecret(generation, PlatformSettings.OperatorApiKey);
    settings.Pass(generation, PlatformSettings.AbuseSitesPerNetworkPerDay);
    settings.Pass(generation, PlatformSettings.AbuseSitesPerAccountPerDay);
    settings.Pass(generation, PlatformSettings.AbuseReportsPerNetworkPerHour);
    settings.Pass(generation, PlatformSettings.AbuseSiteBurstPerNetworkPerHour);
    settings.Pass(generation, PlatformSettings.GitHubApiUrl, "https://api.github.com");
    settings.PassSecret(generation, PlatformSettings.GitHubToken);
    settings.PassSecret(generation, PlatformSettings.GitHubWebhookSecret);
    settings.Pass(generation, PlatformSettings.GitHubConnectTimeout);
    settings.Pass(generation, PlatformSettings.AiEndpoint);
    settings.Pass(generation, PlatformSettings.AiModel);
    settings.PassSecret(generation, PlatformSettings.AiApiKey);
    // Pages' canonical and card addresses point at the gateway: on a local run at its local address; a deployment names its own.
    settings.Pass(generation, PlatformSettings.SitesPublicUrl, builder.ExecutionContext.IsRunMode ? $"http://localhost:{settings.GatewayPortOrDefault}" : null);
    settings.PassList(generation, PlatformSettings.DomainNameServers);
});

var leadsDb = infrastructure.AddDatabase("leadsdb");
var mailCatcher = new Lazy<MailCatcherAddresses>(() => builder.AddMailCatcher());
var leads = builder.AddServiceSlots<Projects.FourSite_Leads>(ResourceNames.Leads, gateway, leads =>
{
    leads.WithPlatformInfrastructure(infrastructure, leadsDb).WithHttpHealthCheck("/health");
    settings.PassTelemetry(leads);
    settings.PassRuntime(leads);
    settings.PassSecret(leads, PlatformSettings.IdentitySigningKey);
    settings.PassSecret(leads, PlatformSettings.OperatorApiKey);
    settings.Pass(leads, PlatformSettings.WebhooksAllowLoopback);
    settings.Pass(leads, PlatformSettings.AbuseCapturesPerNetworkPerHour);
    settings.Pass(leads, PlatformSettings.EmailEndpoint);
    settings.Pass(leads, PlatformSettings.EmailUsername);
    settings.PassSecret(leads, PlatformSettings.EmailPassword);
    settings.Pass(leads, PlatformSettings.EmailFrom);
    // Links in emails point at the gateway: on a local run at its local address; a deployment names its own.
    settings.Pass(leads, PlatformSettings.EmailPublicUrl, builder.ExecutionContext.IsRunMode ? $"http://localhost:{settings.GatewayPortOrDefault}" : null);
    settings.Pass(leads, PlatformSettings.EmailMaxBroadcastsPerDay);
    settings.Pass(leads, PlatformSettings.RetentionUnconfirmedSubscriptions);
    settings.Pass(leads, PlatformSettings.RetentionSpamLeads);
    settings.Pass(leads, PlatformSettings.EmailPipelining);
    settings.Pass(leads, PlatformSettings.EmailConnections);
    settings.Pass(leads, PlatformSettings.EmailUnsubscribeMailbox);
    settings.Pass(leads, PlatformSettings.EmailUnsubscribeMailboxUsername);
    settings.PassSecret(leads, PlatformSettings.EmailUnsubscribeMailboxPassword);
    if (!settings.HasEmailEndpoint && builder.ExecutionContext.IsRunMode)
    {
        // No relay configured: every email lands in smtp4dev's inbox, and none reaches anyone.
        leads.WithEnvironment("FourSite__Email__Endpoint", mailCatcher.Value.Smtp);
        // Mail clients' unsubscribe mails land in the catcher too, and Leads reads them there.
        leads.WithEnvironment("FourSite__Email__UnsubscribeMailbox", mailCatcher.Value.Imap);
        leads.WithEnvironment("FourSite__Email__UnsubscribeMailboxInterval", "00:00:05");
        // smtp4dev answers pipelined commands one write at a time, which costs each message a delayed ACK.
        leads.WithEnvironment("FourSite__Email__Pipelining", "false");
    }
});

var viralDb = infrastructure.AddDatabase("viraldb");
var viral = builder.AddServiceSlots<Projects.FourSite_Viral>(ResourceNames.Viral, gateway, viral =>
{
    viral.WithPlatformInfrastructure(infrastructure, viralDb).WithHttpHealthCheck("/health");
    settings.PassTelemetry(viral);
    settings.PassRuntime(viral);
    settings.PassSecret(viral, PlatformSettings.IdentitySigningKey);
    settings.Pass(viral, PlatformSettings.StripeApiUrl);
    settings.PassSecret(viral, PlatformSettings.StripeSecretKey);
    settings.PassSecret(viral, PlatformSettings.StripeWebhookSecret);
    settings.PassSecret(viral, PlatformSettings.OperatorApiKey);
    settings.Pass(viral, PlatformSettings.StripeReturnUrl, $"http://localhost:{settings.GatewayPortOrDefault}");
});

var metricsDb = infrastructure.AddDatabase("metricsdb");
builder.AddServiceSlots<Projects.FourSite_Metrics>(ResourceNames.Metrics, gateway, metrics =>
{
    metrics.WithPlatformInfrastructure(infrastructure, metricsDb).WithHttpHealthCheck("/health");
    settings.PassTelemetry(metrics);
    settings.PassRuntime(metrics);
    settings.PassSecret(metrics, PlatformSettings.IdentitySigningKey);
    // The dashboards probe every service, and read the daily viral coefficient from Viral.
    metrics.WithReference(gateway).WithReference(generation).WithReference(leads).WithReference(viral);
    settings.PassSecret(metrics, PlatformSettings.OperatorApiKey);
    settings.Pass(metrics, PlatformSettings.AlertWebhookUrl);
    settings.Pass(metrics, PlatformSettings.RollupInterval);
    settings.Pass(metrics, PlatformSettings.EvaluationInterval);
    settings.Pass(metrics, PlatformSettings.VitalsInterval);
    settings.Pass(metrics, PlatformSettings.SiteAnalyticsInterval);
    settings.Pass(metrics, PlatformSettings.RumBeaconRetention);
    settings.PassSection(metrics, PlatformSettings.Alerts);
});

builder.Build().Run();
