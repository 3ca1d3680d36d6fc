using FourSite.ServiceDefaults;

namespace FourSite.Generation;

/// <summary>Registers the Generation service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = "generation";
    public const string DatabaseName = "generationdb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddMessaging(ServiceName);
        return builder;
    }
}
