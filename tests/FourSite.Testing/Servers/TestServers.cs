using FourSite.AppHost.Infrastructure.Local;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;

namespace FourSite.Testing.Servers;

/// <summary>Starts each kind of server the platform uses, the way <see cref="TestServer"/> describes.</summary>
public static class TestServers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>PostgreSQL; <c>FOURSITE_TEST_POSTGRES</c> names an existing server.</summary>
    public static Task<TestServer> StartPostgresAsync() => TestServer.StartAsync(
        "FOURSITE_TEST_POSTGRES",
        () => new PostgreSqlBuilder("postgres:15-alpine").Build(),
        container => ((PostgreSqlContainer)container).GetConnectionString(),
        () => Readiness.StartWithRetriesAsync(async () =>
        {
            var port = Readiness.FreePort();
            var password = Guid.NewGuid().ToString("N");
            var process = LocalServerProcess.Start("postgres.sh", new Dictionary<string, string>
            {
                ["PGPORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["POSTGRES_PASSWORD"] = password,
            }, stopSignal: "INT");
            var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password}";
            await Readiness.WaitAsync("PostgreSQL", process, async token =>
            {
                await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
                await connection.OpenAsync(token);
            }, StartTimeout);
            return (connectionString, process);
        }),
        LocalServerBinaries.PostgreSql);

    /// <summary>Redis; <c>FOURSITE_TEST_REDIS</c> names an existing server.</summary>
    public static Task<TestServer> StartRedisAsync() => TestServer.StartAsync(
        "FOURSITE_TEST_REDIS",
        () => new RedisBuilder("redis:7-alpine").Build(),
        container => ((RedisContainer)container).GetConnectionString(),
        () => Readiness.StartWithRetriesAsync(async () =>
        {
            var port = Readiness.FreePort();
            var password = Guid.NewGuid().ToString("N");
            var process = LocalServerProcess.Start("redis.sh", new Dictionary<string, string>
            {
                ["REDIS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["REDIS_PASSWORD"] = password,
            });
            var connectionString = $"127.0.0.1:{port},password={password}";
            await Readiness.WaitAsync("Redis", process, async token =>
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString + ",abortConnect=true,connectTimeout=1000");
                await redis.GetDatabase().PingAsync();
            }, StartTimeout);
            return (connectionString, process);
        }),
        LocalServerBinaries.Redis);

    /// <summary>RabbitMQ; <c>FOURSITE_TEST_RABBITMQ</c> names an existing broker (an amqp:// URI).</summary>
    public static Task<TestServer> StartRabbitMqAsync() => TestServer.StartAsync(
        "FOURSITE_TEST_RABBITMQ",
        () => new RabbitMqBuilder("rabbitmq:3-alpine").Build(),
        container => ((RabbitMqContainer)container).GetConnectionString(),
        () => Readiness.StartWithRetriesAsync(async () =>
        {
            // Random node name and Erlang ports keep parallel test runs and a running AppHost apart.
            var epmdPort = Readiness.FreePort();
            var epmd = LocalServerProcess.Start("epmd.sh", new Dictionary<string, string>
            {
                ["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            await Readiness.WaitAsync("epmd", epmd, token => Readiness.PortListensAsync(epmdPort, token), StartTimeout);

            var port = Readiness.FreePort();
            var password = Guid.NewGuid().ToString("N");
            var broker = LocalServerProcess.Start("rabbitmq.sh", new Dictionary<string, string>
            {
                ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RABBITMQ_DIST_PORT"] = Readiness.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RABBITMQ_NODENAME"] = $"foursite-test-{Guid.NewGuid():N}@localhost",
                ["RABBITMQ_USER"] = "foursite",
                ["RABBITMQ_PASSWORD"] = password,
            });
            var connectionString = $"amqp://foursite:{password}@127.0.0.1:{port}";
            try
            {
                await Readiness.WaitAsync("RabbitMQ", broker, async token =>
                {
                    await using var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync(token);
                }, StartTimeout);
            }
            catch
            {
                await epmd.DisposeAsync();
                throw;
            }

            return (connectionString, new ProcessGroup(broker, epmd));
        }),
        LocalServerBinaries.RabbitMq);

    /// <summary>Stops processes in order (the broker before the port mapper it registered with).</summary>
    private sealed class ProcessGroup(params IAsyncDisposable[] processes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}
