using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>PostgreSQL, Redis and RabbitMQ as the distribution's own servers on loopback, for machines without a container engine.</summary>
public static class LocalInfrastructure
{
    /// <remarks>The services connect to each server directly, not through an endpoint proxy (see <see cref="DirectEndpoints"/>).</remarks>
    public static PlatformInfrastructure AddLocalInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var data = LocalDataFolder.ForThisProcess();
        var scripts = Path.Combine(builder.AppHostDirectory, "LocalServers");

        var postgresPassword = builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
        var postgresServer = new LocalPostgresResource(ResourceNames.Postgres, builder.AppHostDirectory, postgresPassword.Resource);
        var postgres = builder.AddResource(postgresServer)
            .WithArgs(Path.Combine(scripts, "postgres.sh"))
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", env: "PGPORT", port: FreePort.Next(), isProxied: false)
            .WithEnvironment("FOURSITE_DATA", data.For("postgres"))
            .WithEnvironment("POSTGRES_PASSWORD", postgresPassword)
            .WithHealthCheck(builder.AddServerHealthCheck(ResourceNames.Postgres, new PostgresAnswers(postgresServer)));

        var redisPassword = builder.AddParameter("cache-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
        var redisServer = new LocalRedisResource(ResourceNames.Cache, builder.AppHostDirectory, redisPassword.Resource);
        var cache = builder.AddResource(redisServer)
            .WithArgs(Path.Combine(scripts, "redis.sh"))
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp", env: "REDIS_PORT", port: FreePort.Next(), isProxied: false)
            .WithEnvironment("FOURSITE_DATA", data.For("redis"))
            .WithEnvironment("REDIS_PASSWORD", redisPassword)
            .WithHealthCheck(builder.AddServerHealthCheck(ResourceNames.Cache, new RedisAnswers(redisServer)));

        // RabbitMQ registers with its own epmd, a resource of its own so stopping the AppHost leaves no daemon behind;
        // random Erlang ports and node name keep a test run and a running AppHost apart.
        var epmdPort = FreePort.Next();
        var epmd = builder.AddExecutable("messaging-epmd", "/bin/sh", builder.AppHostDirectory, Path.Combine(scripts, "epmd.sh"))
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithHealthCheck(builder.AddServerHealthCheck("messaging-epmd", new PortListens(epmdPort)));

        var rabbitPassword = builder.AddParameter("messaging-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true);
        var rabbitServer = new LocalRabbitMQResource(ResourceNames.Messaging, builder.AppHostDirectory, rabbitPassword.Resource);
        var messaging = builder.AddResource(rabbitServer)
            .WithArgs(Path.Combine(scripts, "rabbitmq.sh"))
            .WithEndpoint(name: LocalRabbitMQResource.EndpointName, scheme: "tcp", env: "RABBITMQ_NODE_PORT", port: FreePort.Next(), isProxied: false)
            .WithEnvironment("FOURSITE_DATA", data.For("rabbitmq"))
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_NODENAME", "foursite-" + Guid.NewGuid().ToString("N") + "@localhost")
            .WithEnvironment("RABBITMQ_USER", LocalRabbitMQResource.UserName)
            .WithEnvironment("RABBITMQ_PASSWORD", rabbitPassword)
            .WithHealthCheck(builder.AddServerHealthCheck(ResourceNames.Messaging, new RabbitMQAnswers(rabbitServer)))
            .WaitFor(epmd);

        // Aspire hands a parent's state down only to children of containers: the database declares itself running,
        // so waiting for it waits for its server and the server's health check (the service creates the database itself).
        return new PlatformInfrastructure(cache, messaging, name => builder.AddResource(new LocalPostgresDatabaseResource(name, postgresServer))
            .WithParentRelationship(postgres)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", Properties = [], State = KnownResourceStates.Running }));
    }

    private static string AddServerHealthCheck(this IDistributedApplicationBuilder builder, string resourceName, IHealthCheck check)
    {
        var key = $"{resourceName}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, check, failureStatus: null, tags: null));
        return key;
    }
}
