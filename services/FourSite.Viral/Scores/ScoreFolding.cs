using System.Diagnostics;
using Dapper;
using FourSite.Viral.Showcase;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>
/// Every <see cref="ViralOptions.ScoreFoldInterval"/>, folds the increments of every site that has some. Replicas may
/// fold together: the site's row lock orders them, and an increment is taken by one fold only.
/// </summary>
public sealed partial class ScoreFolding(NpgsqlDataSource dataSource, ScoreFolder folder, IOptions<ViralOptions> options, TimeProvider clock,
    ILogger<ScoreFolding> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("FourSite.Viral.Scores");
    private const int SitesPerRound = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScoreFoldInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FoldRoundAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The increments stay where they are: the next round folds them.
                    LogFailed(logger, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

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
