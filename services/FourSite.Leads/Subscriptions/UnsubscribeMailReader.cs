using System.Text.RegularExpressions;
using FourSite.Leads.Email;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace FourSite.Leads.Subscriptions;

/// <summary>
/// Keeps the mailto half of every broadcast's <c>List-Unsubscribe</c>: reads the unsubscribe mailbox over IMAP, and for
/// each mail to the unsubscribe address whose subject carries a subscription's token, unsubscribes it and deletes the
/// mail. Mail it cannot act on is deleted too, once read; other mail in the mailbox is left alone.
/// </summary>
public sealed partial class UnsubscribeMailReader(
    IOptionsMonitor<EmailOptions> options, SubscriptionStore subscriptions, EmailTelemetry telemetry, ILogger<UnsubscribeMailReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            if (settings.UnsubscribeMailboxUri is not null)
            {
                try
                {
                    await ReadAsync(settings, stoppingToken);
                }
                catch (Exception failure) when (!stoppingToken.IsCancellationRequested && failure is not OperationCanceledException)
                {
                    LogReadFailed(logger, failure);
                }
            }

            await Task.Delay(settings.UnsubscribeMailboxInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReadAsync(EmailOptions settings, CancellationToken cancellationToken)
    {
        var mailbox = settings.UnsubscribeMailboxUri!;
        using var client = new ImapClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        await client.ConnectAsync(mailbox.Host, mailbox.Port, mailbox.Scheme == "imaps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        await client.AuthenticateAsync(settings.UnsubscribeMailboxUsername ?? "foursite", settings.UnsubscribeMailboxPassword ?? "", cancellationToken);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        // Read mail is expunged straight away, so no "not deleted" criterion is needed (smtp4dev's IMAP has none).
        var requests = await inbox.SearchAsync(SearchQuery.ToContains(settings.UnsubscribeAddress), cancellationToken);
        var unsubscribed = 0;
        if (requests.Count > 0)
        {
            foreach (var summary in await inbox.FetchAsync(requests, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope, cancellationToken))
            {
                if (TokenPattern().Match(summary.Envelope?.Subject ?? "") is { Success: true } match
                    && await subscriptions.UnsubscribeAsync(match.Groups[1].Value, everywhere: false, cancellationToken) is not null)
                {
                    unsubscribed++;
                    telemetry.SubscriptionChanged("unsubscribed");
                }
            }

            await inbox.AddFlagsAsync(requests, MessageFlags.Deleted, silent: true, cancellationToken);
            await inbox.ExpungeAsync(cancellationToken);
            LogRead(logger, requests.Count, unsubscribed);
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    [GeneratedRegex(@"unsubscribe\s+([A-Za-z0-9_-]{43})", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The unsubscribe mailbox could not be read; trying again later")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unsubscribe mailbox: {Mails} mails read, {Unsubscribed} subscriptions ended")]
    private static partial void LogRead(ILogger logger, int mails, int unsubscribed);
}
