namespace FourSite.ServiceDefaults;

/// <summary>
/// Names of the shared resources and of the services, as the AppHost declares them: connection strings arrive under
/// them, service discovery resolves them, and each service is the audience of the account tokens made for it.
/// </summary>
public static class ResourceNames
{
    public const string Cache = "cache";
    public const string Messaging = "messaging";

    public const string Gateway = "gateway";
    public const string Generation = "generation";
    public const string Leads = "leads";
    public const string Viral = "viral";
    public const string Metrics = "metrics";
}
