using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>
/// A new site reaches Metrics once: its analytics event and its owners for the site's analytics are recorded from the
/// same delivery, and a broker still routing it to the owners' endpoint from before is mended when Metrics starts.
/// </summary>
public sealed class SiteGeneratedDeliveryTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private const string SiteGeneratedExchange = "FourSite.Contracts.Generation:SiteGenerated";
    private const string OwnersEndpoint = "metrics-analytics-sites";
    private const string EventsEndpoint = "metrics-analytics-event";

    [Fact]
    public async Task A_new_site_is_learnt_from_its_analytics_event_and_the_binding_left_from_before_is_removed()
    {
        await using var broker = await new ConnectionFactory { Uri = new Uri(servers.RabbitMq.ConnectionString) }.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync();
        // The broker as an earlier Metrics left it: every new site routed to the owners' endpoint as well.
        await channel.ExchangeDeclareAsync(SiteGeneratedExchange, ExchangeType.Fanout, durable: true);
        await channel.ExchangeDeclareAsync(OwnersEndpoint, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(OwnersEndpoint, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(OwnersEndpoint, OwnersEndpoint, routingKey: "");
        await channel.ExchangeBindAsync(OwnersEndpoint, SiteGeneratedExchange, routingKey: "");

        var siteId = Guid.NewGuid();
        var accountId = Guid.NewGuid();
        await using (var service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, TestAccounts.Settings))
        {
            using var client = await service.CreateReadyClientAsync();
            var bus = service.Services.GetRequiredService<IBus>();
            // Two events of one site close together, as a redelivery makes them: they may share a batch.
            await Task.WhenAll(
                bus.Publish(Generated(siteId, "kite-first", accountId)),
                bus.Publish(Generated(siteId, "kite-second", accountId)));

            await using var connection = new NpgsqlConnection(service.DatabaseConnectionString);
            var recorded = await Eventually.ReturnsAsync(
                () => connection.QuerySingleAsync<(int Events, string? Slug, Guid? Account)>("""
                    SELECT (SELECT count(*)::int FROM analytics_events WHERE site_id = @siteId AND event_type = 'generation_completed'),
                           (SELECT slug FROM analytics_sites WHERE site_id = @siteId),
                           (SELECT account_id FROM analytics_sites WHERE site_id = @siteId)
                    """, new { siteId }),
                row => row.Events == 2 && row.Slug is not null);
            Assert.Equal(2, recorded.Events);
            Assert.Contains(recorded.Slug, new[] { "kite-first", "kite-second" });
            Assert.Equal(accountId, recorded.Account);
            Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(OwnersEndpoint)).MessageCount);
        }

        // With Metrics stopped, a new site's event waits in the analytics events' queue only.
        await channel.BasicPublishAsync(SiteGeneratedExchange, routingKey: "", body: "{}"u8.ToArray());
        await Eventually.ReturnsAsync(async () => (await channel.QueueDeclarePassiveAsync(EventsEndpoint)).MessageCount, count => count == 1);
        Assert.Equal(1u, (await channel.QueueDeclarePassiveAsync(EventsEndpoint)).MessageCount);
        Assert.Equal(0u, (await channel.QueueDeclarePassiveAsync(OwnersEndpoint)).MessageCount);
    }

    private static SiteGenerated Generated(Guid siteId, string slug, Guid accountId) =>
        new(Guid.NewGuid(), siteId, slug, "Kite", "octo", "kite", "app", "AppTemplate", Guid.NewGuid(), ServiceDefaults.Access.Credentials.Hash("token"), "template", false, 10,
            DateTimeOffset.UtcNow, accountId);
}
