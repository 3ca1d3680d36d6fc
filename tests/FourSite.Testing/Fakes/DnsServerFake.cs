using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;

namespace FourSite.Testing.Fakes;

/// <summary>
/// An authoritative DNS server on loopback (UDP) answering the TXT records a test sets, and NXDOMAIN for anything else:
/// the name servers custom domains are verified against.
/// </summary>
public sealed class DnsServerFake : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentDictionary<string, string[]> _txt = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();

    public DnsServerFake() => _ = Task.Run(ServeAsync);

    /// <summary><c>127.0.0.1:port</c>, as <c>FourSite:Domains:NameServers</c> takes it.</summary>
    public string Address => ((IPEndPoint)_udp.Client.LocalEndPoint!).ToString();

    public void SetTxt(string name, params string[] values) => _txt[name.TrimEnd('.')] = values;

    public void Remove(string name) => _txt.TryRemove(name.TrimEnd('.'), out _);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var query = new Message();
            query.Read(new MemoryStream(received.Buffer));
            var response = query.CreateResponse();
            response.AA = true;
            foreach (var question in query.Questions)
            {
                if (_txt.TryGetValue(question.Name.ToString().TrimEnd('.'), out var values) && question.Type == DnsType.TXT)
                {
                    response.Answers.Add(new TXTRecord { Name = question.Name, Strings = [.. values], TTL = TimeSpan.FromSeconds(60) });
                }
            }

            if (response.Answers.Count == 0)
            {
                response.Status = MessageStatus.NameError;
            }

            await _udp.SendAsync(response.ToByteArray(), received.RemoteEndPoint);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }
}
