namespace FourSite.Leads.Webhooks;

/// <summary>A delivery claimed for an attempt, with what is needed to sign and send it.</summary>
public sealed record DueDelivery(
    Guid Id,
    Guid WebhookId,
    string EventType,
    string Payload,
    string? TraceParent,
    int Attempts,
    string Url,
    string Secret,
    string? PreviousSecret)
{
    /// <summary>The <c>webhook-id</c> header: the same on every attempt of this delivery.</summary>
    public string MessageId => $"msg_{Id:N}";
}

/// <summary>What one attempt got: a status code when the target answered, an error when it did not.</summary>
public sealed record AttemptOutcome(int? StatusCode, double LatencyMs, string? Error)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    public bool Gone => StatusCode == 410;
}
