namespace FourSite.Ops.Releases;

/// <summary>The two slots each service runs in, and the services released together.</summary>
public static class Slots
{
    public const string Blue = "blue";
    public const string Green = "green";

    /// <summary>The services behind the gateway, each a {service}-blue and a {service}-green Deployment.</summary>
    public static readonly IReadOnlyList<string> Services = ["generation", "leads", "viral", "metrics"];

    public static string Other(string slot) => slot == Blue ? Green : Blue;

    public static string Deployment(string service, string slot) => $"{service}-{slot}";
}
