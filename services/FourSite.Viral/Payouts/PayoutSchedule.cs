using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Viral.Payouts;

/// <summary>
/// Runs a payout by itself every <see cref="PayoutOptions.Schedule"/> (off unless set). Its batch is named after the
/// moment it fell due, so replicas that wake together run one batch, and a batch run again pays nothing twice.
/// </summary>
public sealed partial class PayoutSchedule(NpgsqlDataSource dataSource, PayoutRun payouts, IOptions<PayoutOptions> options, TimeProvider clock,
    ILogger<PayoutSchedule> logger) : BackgroundService
{
    public const string BatchPrefix = "scheduled-";
    /// <summary>How often a replica looks whether a payout is due: every ten minutes, or as often as payouts run when that is more often.</summary>
    private static readonly TimeSpan MostRarely = TimeSpan.FromMinutes(10);

    /// <summary>When the next scheduled payout falls due; null when payouts run only when an operator runs one.</summary>
    public async Task<DateTimeOffset?> NextAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Schedule is not { } every)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var last = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(created_at) FROM commission_payouts WHERE batch_key LIKE @prefix", new { prefix = BatchPrefix + "%" }, cancellationToken: cancellationToken));
        return last is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) + every : clock.GetUtcNow();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Schedule is not { } every)
        {
            return;
        }

        using var timer = new PeriodicTimer(every < MostRarely ? every : MostRarely, clock);
        try
        {
            do
            {
                try
                {
                    if (await NextAsync(stoppingToken) is { } due && due <= clock.GetUtcNow())
                    {
                        var (result, created) = await payouts.RunAsync($"{BatchPrefix}{due:yyyyMMdd'T'HHmm}", stoppingToken);
                        if (created)
                        {
                            LogRan(logger, result.BatchId, result.Payouts.Count(line => line.Outcome == "paid"));
                        }
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, exception.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled payout {BatchId} ran: {Paid} transfers paid")]
    private static partial void LogRan(ILogger logger, string batchId, int paid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled payout failed this round: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
