using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FourSite.Testing;

/// <summary>
/// Hosts one FourSite service in-process against the real servers of <see cref="PlatformServers"/>, with its own
/// fresh database. Several factories given the same database behave as replicas of the service.
/// </summary>
public sealed class ServiceFactory<TProgram>(PlatformServers servers, string databaseName, string databaseConnectionString)
    : WebApplicationFactory<TProgram> where TProgram : class
{
    public ServiceFactory(PlatformServers servers, string databaseName)
        : this(servers, databaseName, servers.NewDatabase(databaseName))
    {
    }

    public string DatabaseConnectionString { get; } = databaseConnectionString;

    /// <summary>Another replica of the same service, sharing this one's database.</summary>
    public ServiceFactory<TProgram> Replica() => new(servers, databaseName, DatabaseConnectionString);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting($"ConnectionStrings:{databaseName}", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:cache", servers.Redis.ConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", servers.RabbitMq.ConnectionString);
    }
}
