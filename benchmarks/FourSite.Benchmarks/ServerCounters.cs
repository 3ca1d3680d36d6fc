using System.Globalization;
using Npgsql;
using StackExchange.Redis;

namespace FourSite.Benchmarks;

/// <summary>What the servers have done so far: PostgreSQL's transactions per database and row changes, Redis's commands.</summary>
public sealed record ServerCounts(IReadOnlyDictionary<string, long> Transactions, long RowChanges, long RedisCommands)
{
    public ServerCounts Since(ServerCounts earlier) => new(
        Transactions.ToDictionary(database => database.Key, database => database.Value - earlier.Transactions.GetValueOrDefault(database.Key)),
        RowChanges - earlier.RowChanges, RedisCommands - earlier.RedisCommands);
}

/// <summary>Reads <see cref="ServerCounts"/> from the platform's PostgreSQL (<c>pg_stat_database</c>) and Redis (<c>INFO commandstats</c>).</summary>
public sealed class ServerCounters(string postgres, ConnectionMultiplexer redis) : IAsyncDisposable
{
    public static async Task<ServerCounters> ConnectAsync(string postgres, string redis)
    {
        // INFO is an admin command to the client library.
        var redisOptions = ConfigurationOptions.Parse(redis);
        redisOptions.AllowAdmin = true;
        return new ServerCounters(postgres, await ConnectionMultiplexer.ConnectAsync(redisOptions));
    }

    /// <summary>The counts so far (the statistics collector's lag by up to a second).</summary>
    public async Task<ServerCounts> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(datname, 'shared'), xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var transactions = new Dictionary<string, long>();
        long rows = 0;
        while (await reader.ReadAsync())
        {
            transactions[reader.GetString(0)] = reader.GetInt64(1);
            rows += reader.GetInt64(2);
        }

        var sections = await redis.GetServers()[0].InfoAsync("commandstats");
        var commands = sections.SelectMany(section => section).Sum(entry => long.Parse(entry.Value.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture));
        return new ServerCounts(transactions, rows, commands);
    }

    public async ValueTask DisposeAsync() => await redis.DisposeAsync();
}
