using FourSite.Testing.Servers;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>A real Redis for the gateway's shared rate limits, started once per test class.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("Redis has not started.");

    public async Task InitializeAsync() => _server = await TestServers.StartRedisAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
