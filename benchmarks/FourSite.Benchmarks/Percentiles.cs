namespace FourSite.Benchmarks;

/// <summary>Nearest-rank percentiles and the report line every benchmark prints.</summary>
public static class Percentiles
{
    public static double Of(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string Line(string label, IEnumerable<double> values)
    {
        var all = values.ToArray();
        return $"{label} ms  p50 {Of(all, 50):F1}  p95 {Of(all, 95):F1}  p99 {Of(all, 99):F1}";
    }
}
