using System.Diagnostics;
using System.Net.Sockets;
using FourSite.AppHost.Infrastructure.Local;
using FourSite.Testing;

namespace FourSite.E2E;

/// <summary>
/// Debian's Caddy in front of the gateway, as the README sets it up for custom domains: on-demand TLS from Caddy's own
/// local CA, asking the gateway's <c>/api/domains/allowed</c> before it issues a certificate for a host.
/// </summary>
public sealed class CaddyServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private CaddyServer(Process process, string directory, int httpsPort)
    {
        _process = process;
        _directory = directory;
        HttpsPort = httpsPort;
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("FOURSITE_CADDY") ?? "/usr/bin/caddy";

    public int HttpsPort { get; }

    /// <param name="gateway">The gateway's <c>host:port</c>.</param>
    public static async Task<CaddyServer> StartAsync(string gateway)
    {
        MachinePackages.Require("caddy", ExecutablePath, "custom domains are tested through it", "FOURSITE_CADDY");

        var directory = Directory.CreateTempSubdirectory("foursite-caddy-").FullName;
        var (httpPort, httpsPort) = (FreePort.Next(), FreePort.Next());
        var caddyfile = Path.Combine(directory, "Caddyfile");
        await File.WriteAllTextAsync(caddyfile, $$"""
            {
                admin off
                local_certs
                skip_install_trust
                http_port {{httpPort}}
                https_port {{httpsPort}}
                storage file_system {{directory}}/data
                on_demand_tls {
                    ask http://{{gateway}}/api/domains/allowed
                }
            }

            https:// {
                tls {
                    on_demand
                }
                reverse_proxy {{gateway}}
            }
            """);
        var start = new ProcessStartInfo(ExecutablePath, ["run", "--config", caddyfile, "--adapter", "caddyfile"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["HOME"] = directory, ["XDG_DATA_HOME"] = directory, ["XDG_CONFIG_HOME"] = directory },
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var caddy = new CaddyServer(process, directory, httpsPort);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", httpsPort);
                return caddy;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        await caddy.DisposeAsync();
        throw new InvalidOperationException("Caddy did not start listening.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
