namespace FourSite.AppHost.Infrastructure;

/// <summary>The shared servers every service uses, whichever way they run.</summary>
/// <param name="Cache">Redis: rate limits, caches, hot scores, live counters.</param>
/// <param name="Messaging">RabbitMQ: commands and events between services.</param>
/// <param name="AddDatabase">Adds one service's own database on the shared PostgreSQL server; waiting for it waits for the server.</param>
public sealed record PlatformInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    Func<string, IResourceBuilder<IResourceWithConnectionString>> AddDatabase);
