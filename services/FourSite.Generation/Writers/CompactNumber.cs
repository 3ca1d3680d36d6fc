using System.Globalization;

namespace FourSite.Generation.Writers;

/// <summary>Counts as people write them: 999, 1.2k, 52k, 1.5M.</summary>
public static class CompactNumber
{
    public static string Format(long value) => value switch
    {
        < 1_000 => value.ToString(CultureInfo.InvariantCulture),
        < 10_000 => Scaled(value / 1_000d, "k"),
        < 1_000_000 => $"{Math.Floor(value / 1_000d).ToString(CultureInfo.InvariantCulture)}k",
        < 10_000_000 => Scaled(value / 1_000_000d, "M"),
        _ => $"{Math.Floor(value / 1_000_000d).ToString(CultureInfo.InvariantCulture)}M",
    };

    /// <summary>One decimal, rounded down (1,999 is 1.9k, never an overstated 2k), without a trailing ".0".</summary>
    private static string Scaled(double value, string unit) =>
        (Math.Floor(value * 10) / 10).ToString("0.#", CultureInfo.InvariantCulture) + unit;
}
