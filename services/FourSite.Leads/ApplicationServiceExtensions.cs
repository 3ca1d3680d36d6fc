using FourSite.ServiceDefaults;

namespace FourSite.Leads;

/// <summary>Registers the Leads service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = "leads";
    public const string DatabaseName = "leadsdb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddMessaging(ServiceName);
        return builder;
    }
}
