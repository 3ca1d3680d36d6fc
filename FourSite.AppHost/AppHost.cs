using FourSite.AppHost;
using FourSite.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddPlatformInfrastructure();
var settings = new PlatformSettings(builder);

var generation = builder.AddProject<Projects.FourSite_Generation>("generation")
    .WithPlatformInfrastructure(infrastructure, "generationdb")
    .WithHttpHealthCheck("/health");
settings.Pass(generation, PlatformSettings.GitHubApiUrl, "https://api.github.com");
settings.PassSecret(generation, PlatformSettings.GitHubToken);
settings.Pass(generation, PlatformSettings.AiEndpoint);
settings.Pass(generation, PlatformSettings.AiModel);
settings.PassSecret(generation, PlatformSettings.AiApiKey);

var leads = builder.AddProject<Projects.FourSite_Leads>("leads")
    .WithPlatformInfrastructure(infrastructure, "leadsdb")
    .WithHttpHealthCheck("/health");
settings.PassSecret(leads, PlatformSettings.OperatorApiKey);

var viral = builder.AddProject<Projects.FourSite_Viral>("viral")
    .WithPlatformInfrastructure(infrastructure, "viraldb")
    .WithHttpHealthCheck("/health");
settings.Pass(viral, PlatformSettings.StripeApiUrl);
settings.PassSecret(viral, PlatformSettings.StripeSecretKey);

var metrics = builder.AddProject<Projects.FourSite_Metrics>("metrics")
    .WithPlatformInfrastructure(infrastructure, "metricsdb")
    .WithHttpHealthCheck("/health");
settings.PassSecret(metrics, PlatformSettings.OperatorApiKey);

var gateway = builder.AddProject<Projects.FourSite_Gateway>(ResourceNames.Gateway)
    .WithEndpoint("http", endpoint => endpoint.Port = settings.GatewayPortOrDefault)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache);
foreach (var service in new[] { generation, leads, viral, metrics })
{
    gateway.WithReference(service).WaitFor(service);
}

settings.Pass(gateway, PlatformSettings.RateLimitingEnabled, "true");
settings.PassSecret(gateway, PlatformSettings.OperatorApiKey);

builder.Build().Run();
