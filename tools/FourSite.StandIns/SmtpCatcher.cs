using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FourSite.StandIns;

/// <summary>
/// A real SMTP server on loopback that keeps every message it accepts (parsed by MimeKit), for tests and benchmarks.
/// It can refuse a recipient for good (550), defer messages (451), or take its time over each one.
/// </summary>
public sealed class SmtpCatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.OrdinalIgnoreCase);
    private int _toDefer;
    private long _received;

    private SmtpCatcher(int port, bool keepMessages)
    {
        Port = port;
        KeepMessages = keepMessages;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .MaxMessageSize(10 * 1024 * 1024)
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        var server = new SmtpServer.SmtpServer(options, services);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The address services are given as <c>FourSite:Email:Endpoint</c>.</summary>
    public string Url => $"smtp://127.0.0.1:{Port}";

    /// <summary>False for load: messages are counted, not kept.</summary>
    public bool KeepMessages { get; }

    public long Received => Interlocked.Read(ref _received);

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>How long the server takes over each message before it answers.</summary>
    public TimeSpan Delay { get; set; }

    public static SmtpCatcher Start(bool keepMessages = true)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new SmtpCatcher(port, keepMessages);
    }

    /// <summary>From now on, RCPT TO this address is answered 550: the mailbox does not exist.</summary>
    public void Refuse(string address) => _refused[address] = true;

    /// <summary>The next <paramref name="count"/> messages are answered 451: try again later.</summary>
    public void Defer(int count) => Interlocked.Exchange(ref _toDefer, count);

    /// <summary>The messages to <paramref name="address"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. _messages.Where(message => message.To.Mailboxes.Any(mailbox => string.Equals(mailbox.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed class Store(SmtpCatcher catcher) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (catcher.Delay > TimeSpan.Zero)
            {
                await Task.Delay(catcher.Delay, cancellationToken);
            }

            if (Interlocked.Decrement(ref catcher._toDefer) >= 0)
            {
                return new SmtpResponse((SmtpReplyCode)451, "4.3.0 Try again later");
            }

            Interlocked.Increment(ref catcher._received);
            if (catcher.KeepMessages)
            {
                using var stream = new MemoryStream(buffer.ToArray());
                catcher._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            }

            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(SmtpCatcher catcher) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!catcher._refused.ContainsKey($"{to.User}@{to.Host}"));
    }
}
