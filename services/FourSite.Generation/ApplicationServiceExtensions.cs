using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using FluentValidation;
using FourSite.Generation.Accounts;
using FourSite.Generation.Cards;
using FourSite.Generation.Content;
using FourSite.Generation.Discovery;
using FourSite.Generation.Domains;
using FourSite.Generation.GitHub;
using FourSite.Generation.Moderation;
using FourSite.Generation.Ownership;
using FourSite.Generation.Pipeline;
using FourSite.Generation.Pro;
using FourSite.Generation.Regeneration;
using FourSite.Generation.Sites;
using FourSite.Generation.Writers;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Messaging;
using FourSite.ServiceDefaults.Outbox;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenAI;
using Refit;

namespace FourSite.Generation;

/// <summary>Registers the Generation service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = ResourceNames.Generation;
    public const string DatabaseName = "generationdb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddOutbox();
        // Read here because the bus is configured before options are resolved; its range is checked at start with the rest.
        var concurrency = (builder.Configuration.GetSection(GenerationOptions.Section).Get<GenerationOptions>() ?? new GenerationOptions()).Concurrency;
        builder.AddMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<GenerateSiteConsumer>().Endpoint(endpoint =>
            {
                endpoint.Name = GenerationQueues.GenerateSite;
                endpoint.PrefetchCount = endpoint.ConcurrentMessageLimit = concurrency;
            });
            bus.AddConsumer<GenerateSiteFaultConsumer>();
            bus.AddConsumer<SiteProChangedConsumer>();
            bus.AddConsumer<ReportContactErasureConsumer>();
            bus.AddConsumer<SiteFlaggedConsumer>();
        });

        var services = builder.Services;
        services.AddOptions<GenerationOptions>().BindConfiguration(GenerationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Made once: a validator builds its rules (regexes included) when constructed, and keeps no state between requests.
        services.AddValidatorsFromAssemblyContaining<GenerateRequestValidator>(ServiceLifetime.Singleton);

        services.AddSingleton<GenerationTelemetry>();
        services.AddSingleton<GenerationProgress>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<SiteStore>();
        services.AddOptions<SitePagesOptions>().BindConfiguration(SitePagesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CardFonts>();
        services.AddSingleton<SocialCard>();
        services.AddSingleton<LogoFetcher>();
        services.AddSingleton<CardStore>();
        services.AddSingleton<SiteCards>();
        services.AddSingleton<PlatformCards>();
        services.AddSingleton<SitemapStore>();
        services.AddSingleton<ContentStore>();
        services.AddSingleton<ProStatus>();
        services.AddOptions<DomainOptions>().BindConfiguration(DomainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DnsVerifier>();
        services.AddSingleton<DomainStore>();
        services.AddSingleton<SiteOwnerStore>();
        services.AddSingleton<ISiteOwners>(provider => provider.GetRequiredService<SiteOwnerStore>());
        services.AddOptions<RegenerationOptions>().BindConfiguration(RegenerationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RegenerationStore>();
        services.AddSingleton<AccountStore>();
        services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModerationStore>();
        services.AddSingleton<BlockStore>();
        services.AddSingleton<GenerationAdmission>();
        services.AddSingleton<RepositoryFetcher>();
        services.AddSingleton<SiteAuthor>();
        services.AddHostedService<QueueDepthSampler>();

        builder.AddGitHubClient();
        builder.AddAiWriter();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGenerateApi();
        app.MapSitesApi();
        app.MapCardsApi();
        app.MapDiscoveryApi();
        app.MapContentApi();
        app.MapOwnershipApi();
        app.MapRegenerationApi();
        app.MapReleaseWebhookApi();
        app.MapAccountsApi();
        app.MapDomainsApi();
        app.MapReportsApi();
        app.MapModerationApi();
        return app;
    }

    private static void AddGitHubClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<GitHubTokenHandler>();
        var refit = new RefitSettings(new SystemTextJsonContentSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        }));
        var client = builder.Services.AddRefitGeneratedClient<IGitHubClient>(refit)
            .ConfigureHttpClient((provider, http) => http.BaseAddress = provider.GetRequiredService<IOptions<GitHubOptions>>().Value.ApiUrl)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // A host that never answers the connection is as unreachable as one that refuses it.
                ConnectTimeout = provider.GetRequiredService<IOptions<GitHubOptions>>().Value.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler<GitHubTokenHandler>();

        // GitHub's own retry budget, configurable (FourSite:GitHub:Resilience), replaces the defaults; the queue retries too.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented way to replace the defaults.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        var resilience = builder.Configuration.GetSection($"{GitHubOptions.Section}:Resilience");
        var handler = resilience.Exists() ? client.AddStandardResilienceHandler(resilience) : client.AddStandardResilienceHandler();
        handler.Configure(options => GitHubRetries.RetryUnreachableBriefly(options.Retry));
    }

    /// <summary>The AI writer exists only when an API key is configured; otherwise the built-in writer is the default.</summary>
    private static void AddAiWriter(this IHostApplicationBuilder builder)
    {
        var ai = builder.Configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions();
        if (!ai.IsConfigured)
        {
            return;
        }

        builder.Services.AddSingleton<IChatClient>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AiOptions>>().Value;
            var client = new OpenAIClient(new ApiKeyCredential(options.ApiKey!), new OpenAIClientOptions
            {
                Endpoint = options.Endpoint,
                NetworkTimeout = options.Timeout,
                // One attempt: a failing provider is answered by the built-in writer at once, not after retries.
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            });
            return client.GetChatClient(options.Model).AsIChatClient()
                .AsBuilder()
                .UseOpenTelemetry(sourceName: GenerationTelemetry.Name)
                .Build(provider);
        });
        builder.Services.AddSingleton<AiSiteWriter>();
    }
}
