using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FourSite.ServiceDefaults.Database;

/// <summary>A service's own PostgreSQL database: a pooled data source with health and tracing, migrated at start-up.</summary>
public static class DatabaseExtensions
{
    /// <summary>The most connections a service opens when its connection string leaves <c>Maximum Pool Size</c> at Npgsql's 100.</summary>
    public const int DefaultMaxPoolSize = 16;
    private const int NpgsqlMaxPoolSize = 100;

    /// <param name="connectionName">The connection string name the AppHost hands over (the database resource's name).</param>
    /// <param name="migrationsAssembly">The assembly whose embedded <c>Data/Migrations/*.sql</c> scripts build the schema.</param>
    public static TBuilder AddServiceDatabase<TBuilder>(this TBuilder builder, string connectionName, Assembly migrationsAssembly)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            // No service keeps session state on a pooled connection (locks and temporary tables are per transaction), so
            // the DISCARD ALL Npgsql would send on every reuse is a statement for nothing, and it would drop the prepared ones.
            dataSource.ConnectionStringBuilder.NoResetOnClose = true;
            // Statements run over and over (a capture, a job's stages) are prepared once per connection: parsed and planned once.
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            // Npgsql's default of 100 lets a burst put a hundred backends on the database's few cores at once, each slowing
            // the others and their locks; a request past a few per core is better off waiting its turn in the pool.
            if (dataSource.ConnectionStringBuilder.MaxPoolSize == NpgsqlMaxPoolSize)
            {
                dataSource.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
            }
        });
        builder.Services.AddSingleton(new MigrationSource(connectionName, migrationsAssembly));
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }
}

/// <summary>Where a service's migrations come from and which connection string they apply to.</summary>
public sealed record MigrationSource(string ConnectionName, Assembly Assembly);
