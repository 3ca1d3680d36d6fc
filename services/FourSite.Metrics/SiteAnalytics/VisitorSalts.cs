using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// The day's salt of visitor hashes, shared by every replica (the first to need it makes it). Salts of past days are
/// deleted (<see cref="ForgetPastAsync"/>), after which no hash can be tied to an address again.
/// </summary>
public sealed class VisitorSalts(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private sealed record DaySalt(DateOnly Day, byte[] Salt);

    private DaySalt? _current;

    public async ValueTask<byte[]> TodayAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (Volatile.Read(ref _current) is { } current && current.Day == today)
        {
            return current.Salt;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var salt = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition("""
            INSERT INTO visitor_salts (day, salt) VALUES (@today, @salt)
            ON CONFLICT (day) DO UPDATE SET salt = visitor_salts.salt
            RETURNING salt
            """, new { today, salt = RandomNumberGenerator.GetBytes(32) }, cancellationToken: cancellationToken));
        Volatile.Write(ref _current, new DaySalt(today, salt!));
        return salt!;
    }

    /// <summary>Deletes the salts of days before yesterday (yesterday's stays while its last page views come in).</summary>
    public async Task ForgetPastAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM visitor_salts WHERE day < @yesterday", new { yesterday }, cancellationToken: cancellationToken));
    }
}
