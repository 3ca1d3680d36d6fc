using System.Net.Sockets;

namespace FourSite.Testing.Servers;

/// <summary>
/// Waits until a freshly started server accepts work. Probes sign in with the server's own credentials: a port picked
/// as free can be taken by another process before the server binds it, and that process must not pass for the server.
/// </summary>
internal static class Readiness
{
    /// <summary>Waits for <paramref name="probe"/> to succeed; a server that does not get there is stopped and its folder removed.</summary>
    public static async Task WaitAsync(string server, LocalServerProcess process, Func<CancellationToken, Task> probe, TimeSpan timeout)
    {
        try
        {
            await WaitUntilReadyAsync(server, process, probe, timeout);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(string server, LocalServerProcess process, Func<CancellationToken, Task> probe, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        Exception? lastFailure = null;
        while (!deadline.IsCancellationRequested)
        {
            if (process.HasExited)
            {
                throw new ServerExitedException($"{server} exited while starting:{Environment.NewLine}{process.RecentOutput}");
            }

            try
            {
                await probe(deadline.Token);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !deadline.IsCancellationRequested)
            {
                lastFailure = exception;
                await Task.Delay(200, CancellationToken.None);
            }
        }

        throw new TimeoutException($"{server} did not accept work within {timeout}: {lastFailure?.Message}{Environment.NewLine}{process.RecentOutput}");
    }

    public static async Task PortListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
    }

    /// <summary>Starts a server up to three times, on fresh ports each time, if it exits while starting (a port taken meanwhile).</summary>
    public static async Task<(string ConnectionString, IAsyncDisposable Owner)> StartWithRetriesAsync(
        Func<Task<(string ConnectionString, IAsyncDisposable Owner)>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (ServerExitedException) when (attempt < 3)
            {
                // The next attempt draws new ports.
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A server process ended before it accepted work.</summary>
internal sealed class ServerExitedException(string message) : Exception(message);
