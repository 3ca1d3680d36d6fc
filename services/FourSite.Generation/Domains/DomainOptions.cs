using System.ComponentModel.DataAnnotations;

namespace FourSite.Generation.Domains;

/// <summary>Custom domains (section <c>FourSite:Domains</c>).</summary>
public sealed class DomainOptions
{
    public const string Section = "FourSite:Domains";

    /// <summary>
    /// The DNS servers asked for verification records (<c>ip</c> or <c>ip:port</c>); none: the machine's own resolvers.
    /// Tests point it at a server on loopback.
    /// </summary>
    public string[] NameServers { get; set; } = [];

    /// <summary>How long one verification lookup may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many custom domains one site may have.</summary>
    [Range(1, 100)]
    public int MaxPerSite { get; set; } = 5;
}
