namespace FourSite.Leads.Email;

/// <summary>How email is sent (section <c>FourSite:Email</c>): any SMTP relay, and the limits FourSite keeps to.</summary>
public sealed class EmailOptions
{
    public const string Section = "FourSite:Email";

    /// <summary><c>smtp://host:port</c> (STARTTLS when the server offers it) or <c>smtps://host:port</c> (TLS from the start). Unset: nothing is sent, everything waits.</summary>
    public string? Endpoint { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender every email carries, e.g. <c>FourSite &lt;hello@4site.pro&gt;</c>.</summary>
    public string From { get; set; } = "FourSite <hello@4site.pro>";

    /// <summary>
    /// The IMAP mailbox (<c>imap://host:port</c>, STARTTLS when offered, or <c>imaps://host:port</c>) where mail to
    /// <see cref="UnsubscribeAddress"/> arrives. Set, every broadcast offers that address in <c>List-Unsubscribe</c> and
    /// Leads acts on what arrives there; unset, broadcasts offer the one-click https link only.
    /// </summary>
    public string? UnsubscribeMailbox { get; set; }

    public string? UnsubscribeMailboxUsername { get; set; }

    public string? UnsubscribeMailboxPassword { get; set; }

    public TimeSpan UnsubscribeMailboxInterval { get; set; } = TimeSpan.FromSeconds(30);

    public Uri? UnsubscribeMailboxUri => Uri.TryCreate(UnsubscribeMailbox, UriKind.Absolute, out var uri) && uri.Scheme is "imap" or "imaps" ? uri : null;

    /// <summary>The address a mail client writes to on a reader's behalf to unsubscribe.</summary>
    public string UnsubscribeAddress => $"unsubscribe@{SenderDomain}";

    /// <summary>Where the links in emails point: the platform's public address (the gateway).</summary>
    public string PublicUrl { get; set; } = "http://localhost:8080";

    /// <summary>Broadcasts to subscribers a site may send in any 24 hours.</summary>
    public int MaxBroadcastsPerDay { get; set; } = 2;

    /// <summary>How long a confirmation link works.</summary>
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The waits before each retry, the last repeated: 30 s, 2 min, 10 min, 30 min, 1 h, then every 2 h.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
    ];

    /// <summary>Replaces <see cref="DefaultRetrySchedule"/> when set.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule is { Length: > 0 } schedule ? schedule : DefaultRetrySchedule;

    /// <summary>How long an email that keeps failing for passing reasons (connection, 4xx) is retried before it is given up.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether to send a message's commands in one go where the server offers PIPELINING (fewer round trips to a distant
    /// relay). Off for servers that write each answer on its own: with Nagle's algorithm on their side, every message
    /// then waits some 40 ms for a delayed ACK (smtp4dev, the local run's catcher, is one).
    /// </summary>
    public bool Pipelining { get; set; } = true;

    /// <summary>SMTP connections each replica keeps open, each sending one message at a time.</summary>
    public int Connections { get; set; } = 8;

    /// <summary>Emails a connection claims at once; a replica killed mid-broadcast leaves them to another once the lease ends.</summary>
    public int BatchSize { get; set; } = 50;

    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public Uri? EndpointUri => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "smtp" or "smtps" ? uri : null;

    /// <summary>A link on the platform, e.g. <c>/e/confirm/…</c>.</summary>
    public string Link(string path) => PublicUrl.TrimEnd('/') + path;

    /// <summary>The domain of the sender's address, which names every message (<c>Message-ID</c>, the unsubscribe mailbox).</summary>
    public string SenderDomain => MimeKit.MailboxAddress.TryParse(From, out var sender) && sender.Domain is { Length: > 0 } domain ? domain : "4site.pro";
}
