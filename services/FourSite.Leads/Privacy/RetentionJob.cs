using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Leads.Privacy;

/// <summary>
/// Deletes, on every replica's round (a delete done twice deletes nothing more), the opt-ins never confirmed and the
/// captures of bots once they are older than <see cref="RetentionOptions"/> says: addresses nobody confirmed are not kept.
/// </summary>
public sealed partial class RetentionJob(NpgsqlDataSource dataSource, IOptionsMonitor<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger)
    : BackgroundService
{
    /// <summary>One round: what it deleted.</summary>
    public async Task<(int Subscriptions, int SpamLeads)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var subscriptions = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM subscriptions WHERE status = 'pending' AND captured_at < @cutoff", new { cutoff = now - settings.UnconfirmedSubscriptions }, cancellationToken: cancellationToken));
        var spam = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leads WHERE is_spam AND captured_at < @cutoff", new { cutoff = now - settings.SpamLeads }, cancellationToken: cancellationToken));
        if (subscriptions + spam > 0)
        {
            LogDeleted(logger, subscriptions, spam);
        }

        return (subscriptions, spam);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.Interval);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    LogRoundFailed(logger, exception.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Subscriptions} unconfirmed subscriptions and {SpamLeads} bot captures")]
    private static partial void LogDeleted(ILogger logger, int subscriptions, int spamLeads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention round failed: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason);
}
