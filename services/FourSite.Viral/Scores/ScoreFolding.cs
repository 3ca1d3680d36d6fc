using System.Diagnostics;
using Dapper;
using FourSite.ServiceDefaults.Messaging;
using FourSite.Viral.Showcase;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>
/// Every <see cref="ViralOptions.ScoreFoldInterval"/> (less often while nothing is counted), folds the increments of
/// every site that has some. Replicas may fold together: the site's row lock orders them, and an increment is taken by
/// one fold only.
/// </summary>
public sealed partial class ScoreFolding(NpgsqlDataSource dataSource, ScoreFolder folder, IOptions<ViralOptions> options, TimeProvider clock,
    ILogger<ScoreFolding> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("FourSite.Viral.Scores");
    private const int SitesPerRound = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ScoreFoldInterval;
        var wait = interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                // Nothing counted lately: look less often, up to the ceiling every idle poller keeps.
                wait = await FoldRoundAsync(stoppingToken) > 0 ? interval : Backoff.Next(wait, interval, Max(interval, WorkSignal.IdlePollCeiling));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The increments stay where they are: the next round folds them.
                LogFailed(logger, exception.Message);
            }
        }
    }

    private static TimeSpan Max(TimeSpan left, TimeSpan right) => left > right ? left : right;

    /// <returns>How many sites were folded.</returns>
    public async Task<int> FoldRoundAsync(CancellationToken cancellationToken)
    {
        List<Guid> sites;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            sites = (await connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT DISTINCT website_id FROM score_increments LIMIT @limit", new { limit = SitesPerRound }, cancellationToken: cancellationToken))).ToList();
        }

        if (sites.Count == 0)
        {
            return 0;
        }

        using var activity = ActivitySource.StartActivity("fold viral scores");
        activity?.SetTag("foursite.viral.sites", sites.Count);
        foreach (var site in sites)
        {
            await folder.FoldAsync(dataSource, site, clock.GetUtcNow(), cancellationToken);
        }

        return sites.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Viral scores not folded this round: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
