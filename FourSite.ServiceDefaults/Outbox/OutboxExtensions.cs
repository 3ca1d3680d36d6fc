using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FourSite.ServiceDefaults.Outbox;

/// <summary>Registers the transactional outbox and its relay (the service's database must be added too).</summary>
public static class OutboxExtensions
{
    public static TBuilder AddOutbox<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
