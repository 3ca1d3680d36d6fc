using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Messaging;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// Removes the binding that once routed <c>SiteGenerated</c> to the owners' endpoint as well as to the analytics events'
/// (<see cref="AnalyticsSitesConsumerDefinition"/>). A broker keeps bindings across restarts and MassTransit only adds
/// them, so without this every new site would still reach that endpoint. Unbinding is idempotent; on a broker that never
/// had the exchanges there is nothing to remove.
/// </summary>
public sealed partial class RetiredSiteGeneratedBinding(IServiceProvider services, ILogger<RetiredSiteGeneratedBinding> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var source = services.GetRequiredService<IBus>().Topology.Message<SiteGenerated>().EntityName;
        var destination = services.GetRequiredService<IEndpointNameFormatter>().Consumer<AnalyticsSitesConsumer>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var channel = await services.GetRequiredService<IConnection>().CreateChannelAsync(cancellationToken: stoppingToken);
                await channel.ExchangeUnbindAsync(destination, source, routingKey: "", cancellationToken: stoppingToken);
                LogUnbound(logger, source, destination);
                return;
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.NotFound)
            {
                return;
            }
            catch (Exception exception) when (exception.IsBrokerFailure())
            {
                LogNotYet(logger, exception.Message);
            }

            await Task.Delay(RetryInterval, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker binding {Source} -> {Destination} removed (or already absent)")]
    private static partial void LogUnbound(ILogger logger, string source, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retired broker binding not removed yet, trying again: {Reason}")]
    private static partial void LogNotYet(ILogger logger, string reason);
}
