using System.ComponentModel.DataAnnotations;
using FourSite.ServiceDefaults;

namespace FourSite.Metrics;

/// <summary>Operations settings (section <c>FourSite:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "FourSite:Metrics";

    /// <summary>How often the daily rollup recomputes today (and yesterday, until it is final).</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often alert rules are evaluated and the platform's health is sampled.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the sites with new beacons have their real-user Core Web Vitals assessed (for featuring).</summary>
    public TimeSpan VitalsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the rollups of owners' analytics are rebuilt for the current day (how far behind an owner's figures may be).</summary>
    public TimeSpan SiteAnalyticsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often buffered RUM beacons are written to PostgreSQL.</summary>
    public TimeSpan RumFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 10_000)]
    public int RumBatchSize { get; set; } = 500;

    /// <summary>How long beacons read by a writer that went silent (a stopped replica) wait before another writer takes them.</summary>
    public TimeSpan RumClaimAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long raw RUM beacons are kept (vitals look back 7 days; the daily rollups stay).</summary>
    public TimeSpan RumBeaconRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Directories whose disks count in saturation (the fullest one is reported): where this service can see the
    /// platform's data. None set means the temp directory, which holds the local run's PostgreSQL, Redis and RabbitMQ data.
    /// </summary>
    public IList<string> DiskPaths { get; set; } = [];

    public IReadOnlyList<string> DataDirectories => DiskPaths.Count > 0 ? [.. DiskPaths] : [Path.GetTempPath()];

    /// <summary>The alert rules file (JSON), relative to the content root.</summary>
    [Required]
    public string AlertRulesFile { get; set; } = "alert-rules.json";

    /// <summary>A Slack-compatible incoming webhook for alerts; none means alerts go to the log only.</summary>
    public string? AlertWebhookUrl { get; set; }

    /// <summary>The window the rollback decision looks at.</summary>
    public TimeSpan DeploymentWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The services whose health the dashboard shows (reached through service discovery).</summary>
    public string[] Services { get; set; } = [ResourceNames.Gateway, ResourceNames.Generation, ResourceNames.Leads, ResourceNames.Viral];
}
