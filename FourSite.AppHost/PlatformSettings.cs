using Microsoft.Extensions.Configuration;

namespace FourSite.AppHost;

/// <summary>
/// The platform's settings, read from the AppHost's configuration (e.g. <c>FourSite__GitHub__Token</c>) and handed to
/// the services that need them. Secrets travel as Aspire secret parameters.
/// </summary>
public sealed class PlatformSettings
{
    public const string GitHubApiUrl = "FourSite:GitHub:ApiUrl";
    public const string GitHubToken = "FourSite:GitHub:Token";
    public const string GitHubConnectTimeout = "FourSite:GitHub:ConnectTimeout";
    public const string GitHubWebhookSecret = "FourSite:GitHub:WebhookSecret";
    public const string WebhooksAllowLoopback = "FourSite:Webhooks:AllowLoopback";
    public const string GitHubOAuthClientId = "FourSite:GitHub:OAuth:ClientId";
    public const string GitHubOAuthClientSecret = "FourSite:GitHub:OAuth:ClientSecret";
    public const string GitHubOAuthAuthorizeUrl = "FourSite:GitHub:OAuth:AuthorizeUrl";
    public const string GitHubOAuthTokenUrl = "FourSite:GitHub:OAuth:TokenUrl";
    public const string IdentitySigningKey = "FourSite:Identity:SigningKey";
    public const string AiEndpoint = "FourSite:Ai:Endpoint";
    public const string AiApiKey = "FourSite:Ai:ApiKey";
    public const string AiModel = "FourSite:Ai:Model";
    public const string StripeApiUrl = "FourSite:Stripe:ApiUrl";
    public const string StripeSecretKey = "FourSite:Stripe:SecretKey";
    public const string StripeWebhookSecret = "FourSite:Stripe:WebhookSecret";
    public const string StripeReturnUrl = "FourSite:Stripe:ReturnUrl";
    public const string RateLimitingEnabled = "FourSite:Gateway:RateLimiting:Enabled";
    public const string OperatorApiKey = "FourSite:Operator:ApiKey";
    public const string OperatorGitHubLogins = "FourSite:Operator:GitHubLogins";
    public const string GatewayPort = "FourSite:Gateway:Port";
    public const string AlertWebhookUrl = "FourSite:Metrics:AlertWebhookUrl";
    public const string RollupInterval = "FourSite:Metrics:RollupInterval";
    public const string EvaluationInterval = "FourSite:Metrics:EvaluationInterval";
    public const string VitalsInterval = "FourSite:Metrics:VitalsInterval";
    public const string SiteAnalyticsInterval = "FourSite:Metrics:SiteAnalyticsInterval";
    public const string DomainNameServers = "FourSite:Domains:NameServers";
    public const string EmailEndpoint = "FourSite:Email:Endpoint";
    public const string EmailUsername = "FourSite:Email:Username";
    public const string EmailPassword = "FourSite:Email:Password";
    public const string EmailFrom = "FourSite:Email:From";
    public const string EmailPublicUrl = "FourSite:Email:PublicUrl";
    public const string SitesPublicUrl = "FourSite:Sites:PublicUrl";
    public const string EmailMaxBroadcastsPerDay = "FourSite:Email:MaxBroadcastsPerDay";
    public const string EmailPipelining = "FourSite:Email:Pipelining";
    public const string EmailConnections = "FourSite:Email:Connections";
    public const string EmailUnsubscribeMailbox = "FourSite:Email:UnsubscribeMailbox";
    public const string EmailUnsubscribeMailboxUsername = "FourSite:Email:UnsubscribeMailboxUsername";
    public const string EmailUnsubscribeMailboxPassword = "FourSite:Email:UnsubscribeMailboxPassword";
    public const string PlatformHosts = "FourSite:Gateway:PlatformHosts";
    public const string PrivacyNoticeFile = "FourSite:Gateway:PrivacyNoticeFile";
    public const string ImprintFile = "FourSite:Gateway:ImprintFile";
    public const string AbuseSitesPerNetworkPerDay = "FourSite:Abuse:SitesPerNetworkPerDay";
    public const string AbuseSitesPerAccountPerDay = "FourSite:Abuse:SitesPerAccountPerDay";
    public const string AbuseReportsPerNetworkPerHour = "FourSite:Abuse:ReportsPerNetworkPerHour";
    public const string AbuseSiteBurstPerNetworkPerHour = "FourSite:Abuse:SiteBurstPerNetworkPerHour";
    public const string AbuseCapturesPerNetworkPerHour = "FourSite:Abuse:CapturesPerNetworkPerHour";
    public const string RetentionUnconfirmedSubscriptions = "FourSite:Retention:UnconfirmedSubscriptions";
    public const string RetentionSpamLeads = "FourSite:Retention:SpamLeads";
    public const string RumBeaconRetention = "FourSite:Metrics:RumBeaconRetention";

    /// <summary>
    /// Alert channels and their settings, passed whole (names are the operators'); in Kubernetes they come from the
    /// <c>foursite-alert-channels</c> Secret instead, so they are not among the settings every deployment lists.
    /// </summary>
    internal const string Alerts = "FourSite:Alerts";
    public const string TracesSampler = "OTEL_TRACES_SAMPLER";
    public const string TracesSamplerArgument = "OTEL_TRACES_SAMPLER_ARG";
    public const string MetricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";
    public const string MaxTracesPerSecond = "FourSite:Telemetry:MaxTracesPerSecond";
    public const string TieredPgo = "DOTNET_TieredPGO";
    public const string ThreadPoolSpinLimit = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    private readonly IDistributedApplicationBuilder _builder;
    private readonly Dictionary<string, IResourceBuilder<ParameterResource>?> _secrets = [];

    public PlatformSettings(IDistributedApplicationBuilder builder)
    {
        _builder = builder;
        _secrets[OperatorApiKey] = AddGeneratedSecret("operator-api-key", OperatorApiKey);
        _secrets[IdentitySigningKey] = AddGeneratedSecret("identity-signing-key", IdentitySigningKey);
        _secrets[GitHubOAuthClientSecret] = AddOptionalSecret("github-oauth-client-secret", GitHubOAuthClientSecret);
        _secrets[GitHubToken] = AddOptionalSecret("github-token", GitHubToken);
        _secrets[GitHubWebhookSecret] = AddOptionalSecret("github-webhook-secret", GitHubWebhookSecret);
        _secrets[AiApiKey] = AddOptionalSecret("ai-api-key", AiApiKey);
        _secrets[StripeSecretKey] = AddOptionalSecret("stripe-secret-key", StripeSecretKey);
        _secrets[StripeWebhookSecret] = AddOptionalSecret("stripe-webhook-secret", StripeWebhookSecret);
        _secrets[EmailPassword] = AddOptionalSecret("email-password", EmailPassword);
        _secrets[EmailUnsubscribeMailboxPassword] = AddOptionalSecret("email-unsubscribe-mailbox-password", EmailUnsubscribeMailboxPassword);
    }

    public int GatewayPortOrDefault => int.TryParse(_builder.Configuration[GatewayPort], out var port) ? port : 8080;

    /// <summary>
    /// Hands a process its telemetry settings: the trace sampler and the cap on traces per second when configured, and,
    /// on a local run, defaults that keep the dashboard's cost in proportion. Metrics go to it every 5 s: Aspire's
    /// development default, every second, costs each service 15–30 ms of CPU a second to export and the dashboard 30 ms a
    /// second to take in, with nothing happening. Each process starts at most 2 traces a second after a burst of 10: what
    /// someone does on the site is traced whole, and a load test does not spend more CPU on its traces than on its work.
    /// </summary>
    public IResourceBuilder<ProjectResource> PassTelemetry(IResourceBuilder<ProjectResource> service)
    {
        var localRun = _builder.ExecutionContext.IsRunMode;
        Pass(service, TracesSampler);
        Pass(service, TracesSamplerArgument);
        Pass(service, MaxTracesPerSecond, localRun ? "2" : null);
        return localRun ? Pass(service, MetricExportInterval, "5000") : service;
    }

    /// <summary>
    /// Hands a process its runtime settings. On a local run every process shares the same few cores, and the runtime's
    /// profile-guided recompilation (each hot method compiled once more, instrumented, before its optimised code) kept
    /// every service recompiling through its first minute of load, at about two thirds of the throughput; without it a
    /// method goes from its quick first code straight to optimised code. Nor do the thread pool's idle workers spin
    /// waiting for work there: with a dozen processes on two cores, a spinning worker burns the core another process's
    /// work was waiting for (a share of a hot site cost 6–16 % less CPU, and an idle run about a tenth less). A
    /// deployment, each process on cores of its own, keeps the runtime's defaults.
    /// </summary>
    public IResourceBuilder<ProjectResource> PassRuntime(IResourceBuilder<ProjectResource> service)
    {
        var localRun = _builder.ExecutionContext.IsRunMode;
        Pass(service, TieredPgo, localRun ? "0" : null);
        return Pass(service, ThreadPoolSpinLimit, localRun ? "0" : null);
    }

    /// <summary>Hands a plain setting to a service when it is configured (or has a default).</summary>
    public IResourceBuilder<ProjectResource> Pass(IResourceBuilder<ProjectResource> service, string key, string? defaultValue = null)
    {
        var value = _builder.Configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = defaultValue;
        }

        return value is null ? service : service.WithEnvironment(EnvironmentName(key), value);
    }

    /// <summary>Whether an SMTP relay is configured; without one a local run catches every email in smtp4dev.</summary>
    public bool HasEmailEndpoint => !string.IsNullOrWhiteSpace(_builder.Configuration[EmailEndpoint]);

    /// <summary>Hands a list setting (<c>Key__0</c>, <c>Key__1</c>, …) to a service, item by item.</summary>
    public IResourceBuilder<ProjectResource> PassList(IResourceBuilder<ProjectResource> service, string key)
    {
        foreach (var item in _builder.Configuration.GetSection(key).GetChildren().Where(item => !string.IsNullOrWhiteSpace(item.Value)))
        {
            service.WithEnvironment(EnvironmentName($"{key}:{item.Key}"), item.Value!);
        }

        return service;
    }

    /// <summary>Hands a service every setting configured under <paramref name="key"/>, however deep (named channels and their settings).</summary>
    public IResourceBuilder<ProjectResource> PassSection(IResourceBuilder<ProjectResource> service, string key)
    {
        foreach (var (path, value) in _builder.Configuration.GetSection(key).AsEnumerable().Where(item => !string.IsNullOrWhiteSpace(item.Value)))
        {
            service.WithEnvironment(EnvironmentName(path), value!);
        }

        return service;
    }

    /// <summary>Hands a secret to a service as a parameter reference, when one is configured.</summary>
    public IResourceBuilder<ProjectResource> PassSecret(IResourceBuilder<ProjectResource> service, string key) =>
        _secrets[key] is { } secret ? service.WithEnvironment(EnvironmentName(key), secret) : service;

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// A secret every run needs (the operator key, the key the gateway signs accounts with): configured, or made for this
    /// run in Development and shown with the parameters on the dashboard.
    /// </summary>
    private IResourceBuilder<ParameterResource> AddGeneratedSecret(string name, string key) =>
        _builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(_builder.Configuration[key])
            ? _builder.AddParameterFromConfiguration(name, key, secret: true)
            : _builder.AddParameter(name, new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true);

    /// <summary>
    /// A secret that may be absent in development (the services fall back to built-in behaviour), but that a deployment
    /// is always asked for.
    /// </summary>
    private IResourceBuilder<ParameterResource>? AddOptionalSecret(string name, string key) =>
        _builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(_builder.Configuration[key])
            ? _builder.AddParameterFromConfiguration(name, key, secret: true)
            : null;
}
