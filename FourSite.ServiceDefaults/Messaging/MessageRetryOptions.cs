namespace FourSite.ServiceDefaults.Messaging;

/// <summary>How often a failing message is retried before it faults (section <c>FourSite:Messaging:Retry</c>).</summary>
public sealed class MessageRetryOptions
{
    public const string Section = "FourSite:Messaging:Retry";

    public int Limit { get; set; } = 5;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(10);
}
