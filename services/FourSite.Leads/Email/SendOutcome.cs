namespace FourSite.Leads.Email;

/// <summary>What the SMTP server made of one message.</summary>
public sealed record SendOutcome(SendResult Result, string? Error = null)
{
    public static readonly SendOutcome Sent = new(SendResult.Sent);

    public static readonly SendOutcome Skipped = new(SendResult.Skipped);
}

public enum SendResult
{
    Sent,

    /// <summary>Worth trying again later: no connection, a timeout, a 4xx answer.</summary>
    Transient,

    /// <summary>A 5xx for the recipient: the address does not take mail, and is never mailed again.</summary>
    RecipientRefused,

    /// <summary>A 5xx for the message itself, or a message that cannot be written: trying again would get the same answer.</summary>
    Rejected,

    /// <summary>Not sent, by design: its recipient unsubscribed or was suppressed since, or what it was about is gone.</summary>
    Skipped,
}
