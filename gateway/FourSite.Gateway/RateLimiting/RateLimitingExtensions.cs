using System.Globalization;
using System.Threading.RateLimiting;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace FourSite.Gateway.RateLimiting;

/// <summary>
/// Rate limits per client (its API key when it sends one, else its IP) and per route policy, shared by every gateway
/// replica through Redis. A rejected call gets 429, <c>Retry-After</c> and a problem body.
/// </summary>
public static class RateLimitingExtensions
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public static IHostApplicationBuilder AddGatewayRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : DefaultRetryAfter;
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
                        $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.", new Dictionary<string, object?> { ["retryAfter"] = Math.Ceiling(retryAfter.TotalSeconds) })
                    .ExecuteAsync(context.HttpContext);
            };
        });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IServiceProvider>((limiter, services) =>
        {
            if (services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled)
            {
                limiter.GlobalLimiter = CreateLimiter(services);
            }
        });
        return builder;
    }

    private static PartitionedRateLimiter<HttpContext> CreateLimiter(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        var operators = services.GetRequiredService<IOptionsMonitor<OperatorOptions>>();
        var logger = services.GetRequiredService<ILogger<SharedOrLocalRateLimiter>>();

        return PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var path = RoutePath.Of(context.Request);
            var match = options.Policies.FirstOrDefault(policy =>
                string.Equals(path, policy.Value.Path, StringComparison.OrdinalIgnoreCase)
                && string.Equals(context.Request.Method, policy.Value.Method, StringComparison.OrdinalIgnoreCase));
            if (match.Value is not { } policy)
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            var key = $"foursite:ratelimit:{match.Key}:{ClientOf(context, operators.CurrentValue)}";
            return RateLimitPartition.Get(key, partitionKey => new SharedOrLocalRateLimiter(
                RedisRateLimitPartition.GetTokenBucketRateLimiter(partitionKey, _ => new RedisTokenBucketRateLimiterOptions
                {
                    ConnectionMultiplexerFactory = () => redis,
                    TokenLimit = policy.TokenLimit,
                    TokensPerPeriod = policy.TokensPerPeriod,
                    ReplenishmentPeriod = policy.Period,
                }).Factory(partitionKey),
                new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = policy.TokenLimit,
                    TokensPerPeriod = policy.TokensPerPeriod,
                    ReplenishmentPeriod = policy.Period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }),
                logger));
        });
    }

    /// <summary>
    /// The client a limit counts against: a valid API key (an unchecked one would let anyone pick a fresh bucket per
    /// request), else the client's IP as the forwarded-headers step established it.
    /// </summary>
    private static string ClientOf(HttpContext context, OperatorOptions operators) =>
        context.Request.Headers[Credentials.ApiKeyHeader].ToString() is { Length: > 0 } key && Credentials.SecretEquals(key, operators.ApiKey)
            ? "key:operator"
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
