using System.ComponentModel.DataAnnotations;

namespace FourSite.Gateway.RateLimiting;

/// <summary>Per-client rate limits (section <c>FourSite:Gateway:RateLimiting</c>); <see cref="Enabled"/> false turns them off for load tests.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "FourSite:Gateway:RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Token buckets by name; a request matching none is not limited (pages, health, reads).</summary>
    public Dictionary<string, RateLimitPolicy> Policies { get; set; } = [];
}

/// <summary>A token bucket for one route: <see cref="TokenLimit"/> requests at once, refilled by <see cref="TokensPerPeriod"/> each <see cref="Period"/>.</summary>
public sealed class RateLimitPolicy
{
    [Required]
    public string Path { get; set; } = "";

    public string Method { get; set; } = "POST";

    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 1;

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);
}
