using FourSite.ServiceDefaults;

namespace FourSite.Viral;

/// <summary>Registers the Viral service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = "viral";
    public const string DatabaseName = "viraldb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddMessaging(ServiceName);
        return builder;
    }
}
