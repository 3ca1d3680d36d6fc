using System.Net;
using System.Text.Json;
using FourSite.Generation.Pipeline;
using FourSite.ServiceDefaults.Database;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using StackExchange.Redis;

namespace FourSite.Generation.GitHub;

/// <summary>
/// Fetches a repository's metadata, README and languages. Within the cache window a repository is served from Redis
/// without calling GitHub; after it, one conditional request (ETag) tells whether the cached copy still holds.
/// </summary>
public sealed partial class RepositoryFetcher(
    IGitHubClient gitHub,
    IConnectionMultiplexer redis,
    IOptions<GenerationOptions> options,
    TimeProvider clock,
    GenerationTelemetry telemetry,
    ILogger<RepositoryFetcher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan KeepForRevalidation = TimeSpan.FromDays(7);
    private const int MaxReadmeLength = 200_000;

    /// <param name="latest">
    /// Read everything from GitHub anew, unconditionally: a regeneration wants the repository as it is now, and the
    /// metadata's ETag does not cover the README.
    /// </param>
    public async Task<RepositorySnapshot> FetchAsync(RepositoryName repository, CancellationToken cancellationToken, bool latest = false)
    {
        var key = $"foursite:github:{repository.Key}";
        var cached = await ReadCacheAsync(key);
        var now = clock.GetUtcNow();
        if (cached is not null && !latest && now - cached.FetchedAt < options.Value.CacheWindow)
        {
            telemetry.RepositoryCache("hit");
            return cached;
        }

        try
        {
            using var metadata = await gitHub.GetRepositoryAsync(repository.Owner, repository.Name, latest ? null : cached?.ETag, cancellationToken);
            if (metadata.StatusCode == HttpStatusCode.NotModified && cached is not null)
            {
                telemetry.RepositoryCache("revalidated");
                var revalidated = cached with { FetchedAt = now };
                WriteCache(key, revalidated);
                return revalidated;
            }

            // A token may see private repositories; their content must never become a public page.
            if (metadata.StatusCode == HttpStatusCode.NotFound || metadata.Content?.Private == true)
            {
                throw new RepositoryNotFoundException(repository);
            }

            if (!metadata.IsSuccessStatusCode || metadata.Content is null)
            {
                return StaleOrThrow(cached, Failure(metadata, repository.ToString()));
            }

            telemetry.RepositoryCache("miss");
            var snapshot = await CompleteAsync(repository, metadata.Content, metadata.Headers.ETag?.ToString(), now, cancellationToken);
            WriteCache(key, snapshot);
            return snapshot;
        }
        catch (Exception exception) when (exception is HttpRequestException or ExecutionRejectedException or ApiException or GitHubUnavailableException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return StaleOrThrow(cached, exception as GitHubUnavailableException
                ?? new GitHubUnavailableException($"GitHub could not be reached for {repository}: {exception.Message}", exception));
        }
    }

    /// <summary>While GitHub is away, an older copy of a repository still makes a good site.</summary>
    private RepositorySnapshot StaleOrThrow(RepositorySnapshot? cached, GitHubUnavailableException failure)
    {
        if (cached is null)
        {
            throw failure;
        }

        telemetry.RepositoryCache("stale");
        LogServedStale(logger, cached.Owner, cached.Name, failure.Message);
        return cached;
    }

    private async Task<RepositorySnapshot> CompleteAsync(RepositoryName repository, GitHubRepository metadata, string? etag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var readmeCall = gitHub.GetReadmeAsync(repository.Owner, repository.Name, cancellationToken);
        var languagesCall = gitHub.GetLanguagesAsync(repository.Owner, repository.Name, cancellationToken);
        try
        {
            await Task.WhenAll(readmeCall, languagesCall);
        }
        finally
        {
            // Whichever call failed, the other's response is released.
            if (readmeCall.IsCompletedSuccessfully)
            {
                readmeCall.Result.Dispose();
            }

            if (languagesCall.IsCompletedSuccessfully)
            {
                languagesCall.Result.Dispose();
            }
        }

        var readme = readmeCall.Result;
        var languages = languagesCall.Result;

        // A repository without a README is fine; any other failure is GitHub's.
        if (!readme.IsSuccessStatusCode && readme.StatusCode != HttpStatusCode.NotFound)
        {
            throw Failure(readme, $"the README of {repository}");
        }

        if (!languages.IsSuccessStatusCode)
        {
            throw Failure(languages, $"the languages of {repository}");
        }

        var readmeText = readme.IsSuccessStatusCode ? ReadmeText.From(readme.Content, readme.ContentHeaders?.ContentType) : "";
        return new RepositorySnapshot(
            metadata.Owner.Login,
            metadata.Name,
            metadata.Description,
            metadata.StargazersCount,
            metadata.ForksCount,
            metadata.Language,
            metadata.Topics ?? [],
            metadata.License?.SpdxId is { Length: > 0 } spdx && spdx != "NOASSERTION" ? spdx : metadata.License?.Name,
            metadata.Homepage,
            readmeText.Length > MaxReadmeLength ? readmeText[..MaxReadmeLength] : readmeText,
            (languages.Content ?? []).OrderByDescending(language => language.Value).Select(language => language.Key).ToList(),
            etag,
            now,
            metadata.CreatedAt);
    }

    /// <summary>A call that failed: GitHub's answer, or (no answer at all) the reason it could not be reached.</summary>
    private static GitHubUnavailableException Failure(IApiResponse response, string what) => response.StatusCode is { } status && response.Error is not ApiRequestException
        ? new GitHubUnavailableException($"GitHub answered {(int)status} for {what}.", response.Error)
        : new GitHubUnavailableException($"GitHub could not be reached for {what}: {response.Error?.InnerException?.Message ?? response.Error?.Message}", response.Error);

    private async Task<RepositorySnapshot?> ReadCacheAsync(string key)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(key);
            return value.HasValue ? JsonSerializer.Deserialize<RepositorySnapshot>(value.ToString(), Json) : null;
        }
        catch (Exception exception) when (exception.IsRedisFailure() || exception is JsonException)
        {
            // The cache only saves a call: without it, GitHub is asked.
            LogCacheUnavailable(logger, exception.Message);
            return null;
        }
    }

    /// <summary>Sent without waiting for Redis's reply: nothing waits on the copy, and a later read on the same connection comes after it.</summary>
    private void WriteCache(string key, RepositorySnapshot snapshot)
    {
        try
        {
            redis.GetDatabase().StringSet(key, JsonSerializer.Serialize(snapshot, Json), KeepForRevalidation, flags: CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogCacheUnavailable(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub unavailable; serving the cached copy of {Owner}/{Repository}: {Reason}")]
    private static partial void LogServedStale(ILogger logger, string owner, string repository, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repository cache unavailable: {Reason}")]
    private static partial void LogCacheUnavailable(ILogger logger, string reason);
}
