using System.Security.Cryptography;
using System.Text.Json;
using FourSite.Generation.GitHub;
using FourSite.Generation.Pipeline;
using FourSite.Generation.Writers.Readme;
using FourSite.ServiceDefaults.Database;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FourSite.Generation.Writers;

/// <summary>
/// Chooses the writer (the AI when configured, else the built-in one), stands the built-in writer in when the AI fails,
/// and reuses the AI's content written from exactly the same repository content within the cache window: the cache key
/// is a hash of everything a writer reads, so a changed README (or description, topics, stars) is always written anew.
/// The built-in writer is not cached: it writes the same copy from the same content, in less time than hashing the
/// repository and asking Redis would take.
/// </summary>
public sealed partial class SiteAuthor(
    IOptions<GenerationOptions> options,
    IConnectionMultiplexer redis,
    GenerationTelemetry telemetry,
    ILogger<SiteAuthor> logger,
    AiSiteWriter? ai = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether writing asks an AI provider, which takes seconds; the built-in writer takes about a millisecond.</summary>
    public bool AsksAi => ai is not null;

    public async Task<WrittenSite> WriteAsync(RepositorySnapshot repository, CancellationToken cancellationToken)
    {
        var kind = ProjectKind.Of(repository);
        var facts = ReadmeReader.Read(repository);
        if (ai is null)
        {
            var copy = TemplateSiteWriter.Write(repository, facts);
            return new WrittenSite(SiteData.Compose(copy, kind, repository, facts), TemplateSiteWriter.ModelName, FallbackUsed: false, AiError: null);
        }

        try
        {
            var copy = await CachedAsync(ai, repository, facts, cancellationToken);
            return new WrittenSite(SiteData.Compose(copy, kind, repository, facts), ai.Model, FallbackUsed: false, AiError: null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any AI failure (bad key, outage, timeout, unusable answer) leaves the user with the built-in site.
            telemetry.AiFailed(ai.Model);
            LogAiFailed(logger, exception, ai.Model, repository.Owner, repository.Name);
            var copy = TemplateSiteWriter.Write(repository, facts);
            return new WrittenSite(SiteData.Compose(copy, kind, repository, facts), TemplateSiteWriter.ModelName, FallbackUsed: true, AiError: "The AI provider failed; the built-in writer wrote this site.");
        }
    }

    private async Task<SiteCopy> CachedAsync(AiSiteWriter writer, RepositorySnapshot repository, ReadmeFacts facts, CancellationToken cancellationToken)
    {
        var key = $"foursite:content:{repository.Owner.ToLowerInvariant()}/{repository.Name.ToLowerInvariant()}:{writer.Model}:{ContentHash(repository)}";
        try
        {
            var cached = await redis.GetDatabase().StringGetAsync(key);
            if (cached.HasValue && JsonSerializer.Deserialize<SiteCopy>(cached.ToString(), Json) is { } reused)
            {
                telemetry.ContentCache("hit");
                return reused;
            }
        }
        catch (Exception exception) when (exception.IsRedisFailure() || exception is JsonException)
        {
            LogCacheUnavailable(logger, exception.Message);
        }

        telemetry.ContentCache("miss");
        var copy = await writer.WriteAsync(repository, facts, cancellationToken);
        if (options.Value.CacheWindow <= TimeSpan.Zero)
        {
            return copy;
        }

        try
        {
            await redis.GetDatabase().StringSetAsync(key, JsonSerializer.Serialize(copy, Json), options.Value.CacheWindow);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogCacheUnavailable(logger, exception.Message);
        }

        return copy;
    }

    /// <summary>
    /// A hash of the writer's inputs. Not GitHub's ETag: it covers the repository's metadata only, and a README can change
    /// under an unchanged one.
    /// </summary>
    private static string ContentHash(RepositorySnapshot repository)
    {
        var inputs = JsonSerializer.SerializeToUtf8Bytes(repository with { ETag = null, FetchedAt = default }, Json);
        return Convert.ToHexStringLower(SHA256.HashData(inputs));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AI model {Model} failed for {Owner}/{Repository}; the built-in writer stands in")]
    private static partial void LogAiFailed(ILogger logger, Exception exception, string model, string owner, string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Content cache unavailable: {Reason}")]
    private static partial void LogCacheUnavailable(ILogger logger, string reason);
}
