namespace FourSite.Gateway.Slots;

/// <summary>
/// Where a service's traffic goes: to the <see cref="Active"/> slot, except <see cref="CanaryPercent"/> % of requests to
/// the <see cref="Canary"/> slot while a new version is being tried. <see cref="ChangedAt"/> orders changes between replicas.
/// </summary>
public sealed record SlotRouting(string Active, string? Canary = null, int CanaryPercent = 0)
{
    public DateTimeOffset ChangedAt { get; init; }

    public const string Blue = "blue";
    public const string Green = "green";

    public static readonly SlotRouting AllBlue = new(Blue);

    public static bool IsSlot(string? slot) => slot is Blue or Green;

    /// <summary>The slot one request goes to, given a uniform roll in [0, 100).</summary>
    public string SlotFor(double roll) => Canary is not null && roll < CanaryPercent ? Canary : Active;
}
