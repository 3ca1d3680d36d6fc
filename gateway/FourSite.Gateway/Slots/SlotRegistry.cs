using System.Collections.Concurrent;
using System.Text.Json;
using FourSite.ServiceDefaults.Database;
using StackExchange.Redis;

namespace FourSite.Gateway.Slots;

/// <summary>
/// The slot routing of every service, kept in Redis so all gateway replicas route alike (each refreshes its copy every
/// few seconds), and in memory so routing never waits on Redis. Services not yet switched go to blue.
/// </summary>
public sealed partial class SlotRegistry(IConnectionMultiplexer redis, TimeProvider clock, ILogger<SlotRegistry> logger) : BackgroundService
{
    private const string Key = "foursite:gateway:slots";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, SlotRouting> _routing = new(StringComparer.OrdinalIgnoreCase);

    public SlotRouting RoutingOf(string service) => _routing.TryGetValue(service, out var routing) ? routing : SlotRouting.AllBlue;

    public IReadOnlyDictionary<string, SlotRouting> All => _routing;

    /// <summary>Routes a service anew, here at once and in every other replica at its next refresh.</summary>
    public async Task<SlotRouting> SetAsync(string service, SlotRouting routing)
    {
        routing = routing with { ChangedAt = clock.GetUtcNow() };
        _routing[service] = routing;
        try
        {
            await redis.GetDatabase().HashSetAsync(Key, service, JsonSerializer.Serialize(routing, Json));
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogUnshared(logger, service, exception.Message);
        }

        return routing;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            do
            {
                await RefreshAsync();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            foreach (var entry in await redis.GetDatabase().HashGetAllAsync(Key))
            {
                if (JsonSerializer.Deserialize<SlotRouting>(entry.Value.ToString(), Json) is { } routing)
                {
                    // A read that raced a newer local change must not undo it.
                    _routing.AddOrUpdate(entry.Name.ToString(), routing, (_, local) => routing.ChangedAt > local.ChangedAt ? routing : local);
                }
            }
        }
        catch (Exception exception) when (exception.IsRedisFailure() || exception is JsonException)
        {
            LogUnshared(logger, "all", exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slot routing of {Service} not shared through Redis: {Reason}")]
    private static partial void LogUnshared(ILogger logger, string service, string reason);
}
