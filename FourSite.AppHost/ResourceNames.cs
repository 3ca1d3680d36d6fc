namespace FourSite.AppHost;

/// <summary>Resource names: they are also the connection-string and service-discovery names the services use.</summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Cache = "cache";
    public const string Messaging = "messaging";
    public const string Mail = "mail";
    public const string Gateway = "gateway";
    public const string Generation = "generation";
    public const string Leads = "leads";
    public const string Viral = "viral";
    public const string Metrics = "metrics";
}
