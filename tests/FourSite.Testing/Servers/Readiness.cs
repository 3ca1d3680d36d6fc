using System.Net.Sockets;

namespace FourSite.Testing.Servers;

/// <summary>Waits until a freshly started server accepts work.</summary>
internal static class Readiness
{
    public static async Task WaitAsync(string server, LocalServerProcess process, Func<CancellationToken, Task> probe, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        Exception? lastFailure = null;
        while (!deadline.IsCancellationRequested)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{server} exited while starting:{Environment.NewLine}{process.RecentOutput}");
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

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
