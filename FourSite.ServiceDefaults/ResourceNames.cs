namespace FourSite.ServiceDefaults;

/// <summary>Names of the shared resources, as the AppHost declares them and as connection strings arrive.</summary>
public static class ResourceNames
{
    public const string Cache = "cache";
    public const string Messaging = "messaging";
}
