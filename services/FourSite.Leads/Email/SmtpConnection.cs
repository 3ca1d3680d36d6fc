using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FourSite.Leads.Email;

/// <summary>
/// One SMTP connection, opened when first needed and reused for message after message; dropped on any connection
/// failure, and opened again for the next message.
/// </summary>
public sealed class SmtpConnection(EmailOptions options) : IAsyncDisposable
{
    private readonly SmtpClient _client = new() { Timeout = (int)options.Timeout.TotalMilliseconds };

    public bool IsConnected => _client.IsConnected;

    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken);
            await _client.SendAsync(message, cancellationToken);
            return SendOutcome.Sent;
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500)
        {
            return new SendOutcome(refused.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? SendResult.RecipientRefused : SendResult.Rejected, Describe(refused));
        }
        catch (SmtpCommandException deferred)
        {
            return new SendOutcome(SendResult.Transient, Describe(deferred));
        }
        catch (Exception failure) when (failure is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
                                            or AuthenticationException or TimeoutException or ProtocolException
                                        || (failure is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await CloseAsync();
            return new SendOutcome(SendResult.Transient, $"{failure.GetType().Name}: {failure.Message}");
        }
    }

    /// <summary>Ends the connection politely (after a quiet spell, or at shutdown).</summary>
    public async Task CloseAsync()
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception failure) when (failure is IOException or SocketException or SmtpProtocolException or OperationCanceledException or ServiceNotConnectedException)
        {
            // Gone already: nothing left to close.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _client.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }

        var endpoint = options.EndpointUri ?? throw new InvalidOperationException($"{EmailOptions.Section}:Endpoint is not an smtp:// or smtps:// address.");
        var security = endpoint.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
        var port = endpoint.IsDefaultPort ? (endpoint.Scheme == "smtps" ? 465 : 25) : endpoint.Port;
        // Without Nagle's algorithm: each step of SMTP is a small write then a wait for the answer, and Nagle would hold
        // the message's closing dot until the server's delayed ACK, some 40 ms a message.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, port, cancellationToken);
            await _client.ConnectAsync(socket, endpoint.Host, port, security, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (!string.IsNullOrEmpty(options.Username))
        {
            await _client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
        }

        if (!options.Pipelining)
        {
            _client.Capabilities &= ~SmtpCapabilities.Pipelining;
        }
    }

    private static string Describe(SmtpCommandException answer) => $"{(int)answer.StatusCode} {answer.Message}";
}
