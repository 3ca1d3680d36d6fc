using FourSite.Testing.Servers;
using Npgsql;
using Xunit;

namespace FourSite.Testing;

/// <summary>
/// The three real servers the services need (PostgreSQL, Redis, RabbitMQ), started once for a test collection.
/// Each test takes its own database, so tests never see each other's rows.
/// </summary>
public sealed class PlatformServers : IAsyncLifetime
{
    private TestServer? _postgres;
    private TestServer? _redis;
    private TestServer? _rabbitMq;

    public TestServer Postgres => _postgres ?? throw new InvalidOperationException("Servers not started.");
    public TestServer Redis => _redis ?? throw new InvalidOperationException("Servers not started.");
    public TestServer RabbitMq => _rabbitMq ?? throw new InvalidOperationException("Servers not started.");

    public async Task InitializeAsync()
    {
        var postgres = TestServers.StartPostgresAsync();
        var redis = TestServers.StartRedisAsync();
        var rabbitMq = TestServers.StartRabbitMqAsync();
        _postgres = await postgres;
        _redis = await redis;
        _rabbitMq = await rabbitMq;
    }

    /// <summary>A connection string to a database of this name that no other test uses (the service creates it).</summary>
    public string NewDatabase(string prefix) =>
        new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Database = $"{prefix}_{Guid.NewGuid():N}" }.ConnectionString;

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _rabbitMq, _redis, _postgres })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}
