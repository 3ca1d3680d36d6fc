namespace FourSite.AppHost.Infrastructure;

/// <summary>PostgreSQL, Redis and RabbitMQ from their official images, through Aspire's hosting integrations.</summary>
public static class ContainerInfrastructure
{
    public static PlatformInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(ResourceNames.Postgres);
        var cache = builder.AddRedis(ResourceNames.Cache);
        var messaging = builder.AddRabbitMQ(ResourceNames.Messaging);

        return new PlatformInfrastructure(cache, messaging, name => postgres.AddDatabase(name));
    }
}
