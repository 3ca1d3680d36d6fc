namespace FourSite.Viral.Referrals;

/// <summary>Who arrived through a share: the visitor's session and coarse network (see <c>ClientNetwork</c>).</summary>
public sealed record Arrival(string? SessionId, string? ClientNetwork);

/// <summary>
/// The signals that a visit or a conversion was not a real new person: the sharer's own session or network, or one
/// network arriving faster than people do. A flagged arrival is still recorded; it only earns no credit.
/// </summary>
public static class ReferralFraud
{
    public const string SameSession = "same_session";
    public const string SameNetwork = "same_network";
    public const string Velocity = "velocity";

    /// <summary>More arrivals than this from one network on one site within <see cref="VelocityWindow"/> look automated.</summary>
    public const int VelocityLimit = 3;
    public static readonly TimeSpan VelocityWindow = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The first signal the arrival raises, or null when it passes. <paramref name="earlierFromNetwork"/> counts the
    /// arrivals of the same kind from the same network on the same site within the velocity window.
    /// </summary>
    public static string? Signal(Arrival arrival, IEnumerable<Arrival> sharers, int earlierFromNetwork)
    {
        var known = sharers.ToList();
        if (arrival.SessionId is not null && known.Any(sharer => sharer.SessionId == arrival.SessionId))
        {
            return SameSession;
        }

        if (arrival.ClientNetwork is not null && known.Any(sharer => sharer.ClientNetwork == arrival.ClientNetwork))
        {
            return SameNetwork;
        }

        return arrival.ClientNetwork is not null && earlierFromNetwork >= VelocityLimit ? Velocity : null;
    }
}
