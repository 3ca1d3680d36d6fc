namespace FourSite.Metrics.Vitals;

/// <summary>
/// Whether a site's real-user Core Web Vitals are good enough to feature it: at least <see cref="MinimumSamples"/>
/// beacons, and at the 75th percentile LCP ≤ 2.5 s, CLS ≤ 0.1 and INP ≤ 200 ms (Google's "good" thresholds; a page
/// nobody interacted with has no INP, which fails nothing).
/// </summary>
public static class VitalsAssessment
{
    public const int MinimumSamples = 20;
    public const double GoodLcpMs = 2500;
    public const double GoodCls = 0.1;
    public const double GoodInpMs = 200;

    public const string Good = "good";
    public const string Poor = "poor";
    public const string InsufficientSamples = "insufficient_samples";

    public static string Of(double? lcpP75, double? clsP75, double? inpP75, int samples) =>
        samples < MinimumSamples ? InsufficientSamples
        : lcpP75 is null or > GoodLcpMs || clsP75 is > GoodCls || inpP75 is > GoodInpMs ? Poor
        : Good;
}
