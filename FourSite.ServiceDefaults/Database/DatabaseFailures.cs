using System.Net.Sockets;
using Npgsql;

namespace FourSite.ServiceDefaults.Database;

/// <summary>How Npgsql reports PostgreSQL being away, as opposed to a query that failed on a working server.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// Unavailable for now (down, restarting, out of connections, or a transient conflict such as a deadlock): nothing
    /// was stored, and trying again shortly works.
    /// </summary>
    public static bool IsDatabaseUnavailable(this Exception exception) => exception.IsDatabaseUnreachable() || exception is NpgsqlException { IsTransient: true };

    /// <summary>The server itself could not be reached or is not serving: connection failures, shutdown, start-up, no free connection.</summary>
    public static bool IsDatabaseUnreachable(this Exception exception) => exception switch
    {
        PostgresException { SqlState: var state } => state.StartsWith("08", StringComparison.Ordinal) || state is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        _ => false,
    };
}
