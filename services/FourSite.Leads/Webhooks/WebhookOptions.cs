namespace FourSite.Leads.Webhooks;

/// <summary>How owners' webhooks are delivered (section <c>FourSite:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "FourSite:Webhooks";

    /// <summary>The waits before each retry, jittered by a fifth either way: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Lets <c>http://127.0.0.1:*</c> targets through (tests and local runs); never in production.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Replaces <see cref="DefaultRetrySchedule"/> when set.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A webhook whose deliveries have failed for this long, without one success, is disabled.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long the old secret keeps signing after a rotation.</summary>
    public TimeSpan PreviousSecretLifetime { get; set; } = TimeSpan.FromHours(24);

    public int MaxPerSite { get; set; } = 10;

    /// <summary>Deliveries under way at once in one replica, and for one webhook across replicas: a slow target holds only its own.</summary>
    public int MaxInFlight { get; set; } = 64;

    public int MaxInFlightPerWebhook { get; set; } = 4;

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule is { Length: > 0 } schedule ? schedule : DefaultRetrySchedule;
}
