using System.Net;
using System.Net.Sockets;

namespace FourSite.AppHost.Infrastructure.Local;

/// <summary>A loopback port nobody listens on now, for the Erlang ports Aspire does not allocate.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
