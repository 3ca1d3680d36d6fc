using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FourSite.Testing;

/// <summary>
/// Hosts one FourSite service in-process against the real servers of <see cref="PlatformServers"/>, with its own
/// fresh database. Several factories given the same database behave as replicas of the service.
/// </summary>
public sealed class ServiceFactory<TProgram>(
    PlatformServers servers, string databaseName, string databaseConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<TProgram> where TProgram : class
{
    /// <param name="settings">Configuration for this service, e.g. the addresses of third-party fakes.</param>
    public ServiceFactory(PlatformServers servers, string databaseName, IReadOnlyDictionary<string, string?>? settings = null)
        : this(servers, databaseName, servers.NewDatabase(databaseName), settings)
    {
    }

    public string DatabaseConnectionString { get; } = databaseConnectionString;

    /// <summary>Changes to the service's registrations, e.g. an HTTP client sent to another service hosted in the test.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Another replica of the same service, sharing this one's database; settings may differ (e.g. a broker that is down).</summary>
    public ServiceFactory<TProgram> Replica(IReadOnlyDictionary<string, string?>? replicaSettings = null) =>
        new(servers, databaseName, DatabaseConnectionString, replicaSettings ?? settings) { TestServices = TestServices };

    /// <summary>
    /// A client of the started service once it is ready, its bus included: a host stopped before its bus finished
    /// starting would leave that bus consuming the shared queues.
    /// </summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        await WaitUntilReadyAsync(client);
        return client;
    }

    /// <summary>Waits until the service behind <paramref name="client"/> reports every dependency healthy.</summary>
    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var health = await Eventually.ReturnsAsync(() => client.GetAsync(new Uri("/health", UriKind.Relative)), response => response.IsSuccessStatusCode);
        if (!health.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{typeof(TProgram).Assembly.GetName().Name} did not become ready: " + await health.Content.ReadAsStringAsync());
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting($"ConnectionStrings:{databaseName}", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", servers.Redis.ConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", servers.RabbitMq.ConnectionString);
        // Quick retries keep failure paths short in tests; the production back-off is longer.
        builder.UseSetting("FourSite:Messaging:Retry:Limit", "2");
        builder.UseSetting("FourSite:Messaging:Retry:MinInterval", "00:00:00.050");
        builder.UseSetting("FourSite:Messaging:Retry:MaxInterval", "00:00:00.200");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }
}
