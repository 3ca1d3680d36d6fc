using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Testing;

/// <summary>
/// What every service promises at start-up, run against real servers: it migrates its own database (once, even when
/// replicas start together), reports each dependency in <c>/health</c>, and answers <c>/alive</c> and <c>/health/db</c>.
/// </summary>
public abstract class ServiceStartupTests<TProgram>(PlatformServers servers) : IClassFixture<PlatformServers>
    where TProgram : class
{
    /// <summary>The connection-string name of the service's database.</summary>
    protected abstract string DatabaseName { get; }

    /// <summary>Tables every service has: the migration journal and the outbox.</summary>
    private static readonly string[] InfrastructureTables = ["schemaversions", "outbox_messages"];

    /// <summary>The tables the service owns.</summary>
    protected abstract string[] OwnedTables { get; }

    [Fact]
    public async Task Starts_healthy_with_every_dependency_checked()
    {
        await using var service = new ServiceFactory<TProgram>(servers, DatabaseName);
        using var client = service.CreateClient();

        // The bus connects in the background after start-up: readiness follows within moments.
        var report = await Eventually.ReturnsAsync(
            async () => await client.GetFromJsonAsync<HealthReportBody>(new Uri("/health", UriKind.Relative)),
            body => body?.Status == "healthy");

        Assert.Equal("healthy", report!.Status);
        Assert.Contains(report.Checks.Keys, name => name.Contains("postgres", StringComparison.OrdinalIgnoreCase) || name.Contains("npgsql", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(report.Checks.Keys, name => name.Contains("redis", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(report.Checks.Keys, name => name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Creates_its_tables_at_start_up()
    {
        await using var service = new ServiceFactory<TProgram>(servers, DatabaseName);
        using var client = service.CreateClient();
        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var tables = await TablesOf(service.DatabaseConnectionString);

        Assert.Equal(OwnedTables.Order(), tables.Except(InfrastructureTables).Order());
        Assert.Empty(InfrastructureTables.Except(tables));
    }

    [Fact]
    public async Task Opens_a_bounded_pool_of_connections_unless_told_how_many()
    {
        await using var service = new ServiceFactory<TProgram>(servers, DatabaseName);
        var dataSource = service.Services.GetRequiredService<NpgsqlDataSource>();
        await using var told = new ServiceFactory<TProgram>(servers, DatabaseName, $"{service.DatabaseConnectionString};Maximum Pool Size=7");

        Assert.Equal(ServiceDefaults.Database.DatabaseExtensions.DefaultMaxPoolSize, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(told.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).MaxPoolSize);
    }

    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_once()
    {
        await using var first = new ServiceFactory<TProgram>(servers, DatabaseName);
        await using var second = first.Replica();
        await using var third = first.Replica();

        // CreateClient starts the host; starting all three at once races their migrators.
        var clients = await Task.WhenAll(new[] { first, second, third }.Select(replica => Task.Run(replica.CreateClient)));
        foreach (var client in clients)
        {
            using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            client.Dispose();
        }

        await using var connection = new NpgsqlConnection(first.DatabaseConnectionString);
        var applied = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
        Assert.NotEmpty(applied);
        Assert.Equal(applied.Count, applied.Distinct().Count());
    }

    [Fact]
    public async Task Reports_its_database_round_trip()
    {
        await using var service = new ServiceFactory<TProgram>(servers, DatabaseName);
        using var client = service.CreateClient();

        var probe = await client.GetFromJsonAsync<DatabaseProbeBody>(new Uri("/health/db", UriKind.Relative));

        Assert.Equal("connected", probe!.Database);
        Assert.True(probe.Latency > 0);
    }

    private static async Task<List<string>> TablesOf(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).ToList();
    }

    private sealed record HealthReportBody(string Status, Dictionary<string, string> Checks);

    private sealed record DatabaseProbeBody(string Database, double Latency);
}
