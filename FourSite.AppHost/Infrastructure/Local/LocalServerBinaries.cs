namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>The distribution's PostgreSQL, Redis and RabbitMQ servers, and how to tell each is installed.</summary>
internal static class LocalServerBinaries
{
    public static readonly (string Package, Func<bool> IsInstalled) PostgreSql =
        ("postgresql", () => Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateFiles("/usr/lib/postgresql", "postgres", SearchOption.AllDirectories).Any());

    public static readonly (string Package, Func<bool> IsInstalled) Redis = ("redis-server", () => File.Exists("/usr/bin/redis-server"));

    public static readonly (string Package, Func<bool> IsInstalled) RabbitMq =
        ("rabbitmq-server", () => File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") && File.Exists("/usr/bin/epmd"));

    /// <summary>Installs a missing server as root; otherwise names the command to run.</summary>
    /// <returns>Null when every server is there; otherwise the one line that tells the developer what to do.</returns>
    public static string? EnsureInstalled() => DebianPackages.EnsureInstalled(
        "no container engine: FourSite runs PostgreSQL, Redis and RabbitMQ as local processes; or start a container engine",
        PostgreSql, Redis, RabbitMq);
}
