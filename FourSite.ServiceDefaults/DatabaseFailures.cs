using System.Net.Sockets;
using Npgsql;

namespace FourSite.ServiceDefaults;

/// <summary>
/// PostgreSQL being unreachable, as Npgsql reports it: connection failures, a server shutting down or starting, a pool
/// out of connections. Transient by nature: trying again shortly works.
/// </summary>
public static class DatabaseFailures
{
    public static bool IsDatabaseUnavailable(this Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        _ => false,
    };
}
