using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using FourSite.AppHost.Infrastructure.Local;

namespace FourSite.Testing.Servers;

/// <summary>
/// A real server for integration tests, found in this order: a connection string from the environment, a container
/// where a container engine answers, or the distribution's server started as a local process.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owner;

    private TestServer(string connectionString, IAsyncDisposable? owner)
    {
        ConnectionString = connectionString;
        _owner = owner;
    }

    public string ConnectionString { get; }

    /// <summary>How the server runs: <c>external</c>, <c>container</c> or <c>local</c>.</summary>
    public string Kind => _owner switch
    {
        null => "external",
        IContainer => "container",
        _ => "local",
    };

    internal static async Task<TestServer> StartAsync(
        string environmentVariable,
        Func<IContainer> buildContainer,
        Func<IContainer, string> containerConnectionString,
        Func<Task<(string ConnectionString, IAsyncDisposable Owner)>> startLocal,
        (string Package, Func<bool> IsInstalled) localPackage)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } given)
        {
            return new TestServer(given, owner: null);
        }

        IContainer? container = null;
        try
        {
            container = buildContainer();
        }
        catch (DockerUnavailableException)
        {
            // No container engine (this is the common case on CI here): fall through to a local process.
        }

        if (container is not null)
        {
            await container.StartAsync();
            return new TestServer(containerConnectionString(container), container);
        }

        if (DebianPackages.EnsureInstalled("the tests run it as a local process", localPackage) is { } instruction)
        {
            throw new InvalidOperationException(instruction);
        }

        var (connectionString, owner) = await startLocal();
        return new TestServer(connectionString, owner);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }
}
