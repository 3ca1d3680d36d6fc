using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FourSite.ServiceDefaults.Messaging;

/// <summary>MassTransit on RabbitMQ with FourSite's conventions: one queue per consumer per service, retries with back-off.</summary>
public static class MessagingExtensions
{
    /// <summary>The connection string name of the RabbitMQ resource.</summary>
    public const string ConnectionName = ResourceNames.Messaging;

    /// <param name="serviceName">Prefixes the service's queues, so every service gets its own copy of an event.</param>
    /// <param name="configure">Registers the service's consumers.</param>
    public static TBuilder AddMessaging<TBuilder>(this TBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{ConnectionName}' is not configured.");
        var brokerAddress = new Uri(connectionString);
        var retry = builder.Configuration.GetSection(MessageRetryOptions.Section).Get<MessageRetryOptions>() ?? new MessageRetryOptions();

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(brokerAddress, host =>
                {
                    var credentials = brokerAddress.UserInfo.Split(':', 2);
                    if (credentials.Length == 2)
                    {
                        host.Username(Uri.UnescapeDataString(credentials[0]));
                        host.Password(Uri.UnescapeDataString(credentials[1]));
                    }
                });
                rabbit.UseMessageRetry(policy => policy.Exponential(retry.Limit, retry.MinInterval, retry.MaxInterval, retry.MinInterval));
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }
}
