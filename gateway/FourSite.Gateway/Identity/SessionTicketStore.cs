using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace FourSite.Gateway.Identity;

/// <summary>
/// Sessions kept server-side in Redis, encrypted (they hold the user's GitHub token): the cookie carries only a random
/// session id, every gateway replica reads the same sessions, and signing out (or erasing the account) ends them for good.
/// </summary>
public sealed partial class SessionTicketStore(IConnectionMultiplexer redis, IDataProtectionProvider protection, TimeProvider clock, ILogger<SessionTicketStore> logger)
    : ITicketStore
{
    private const string SessionPrefix = "foursite:session:";
    private const string AccountPrefix = "foursite:account-sessions:";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(14);
    private readonly IDataProtector _protector = protection.CreateProtector("FourSite.Gateway.Sessions");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        // A new id at every sign-in: an id seen before signing in is worth nothing after it.
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var expiresIn = (ticket.Properties.ExpiresUtc ?? clock.GetUtcNow() + DefaultLifetime) - clock.GetUtcNow();
        var lifetime = expiresIn > TimeSpan.Zero ? expiresIn : TimeSpan.FromSeconds(1);
        var database = redis.GetDatabase();
        await database.StringSetAsync(SessionPrefix + key, _protector.Protect(TicketSerializer.Default.Serialize(ticket)), lifetime);
        if (AccountOf(ticket) is { } account)
        {
            await database.SetAddAsync(AccountPrefix + account, key);
            await database.KeyExpireAsync(AccountPrefix + account, DefaultLifetime);
        }
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        try
        {
            var stored = await redis.GetDatabase().StringGetAsync(SessionPrefix + key);
            return stored.HasValue ? TicketSerializer.Default.Deserialize(_protector.Unprotect((byte[])stored!)) : null;
        }
        catch (Exception exception) when (exception.IsRedisFailure() || exception is System.Security.Cryptography.CryptographicException)
        {
            // Without the session store the visitor is anonymous for now; nothing is lost.
            LogSessionUnavailable(logger, exception.Message);
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        var database = redis.GetDatabase();
        if (await RetrieveAsync(key) is { } ticket && AccountOf(ticket) is { } account)
        {
            await database.SetRemoveAsync(AccountPrefix + account, key);
        }

        await database.KeyDeleteAsync(SessionPrefix + key);
    }

    /// <summary>Ends every session of an account (it was erased), wherever it was signed in.</summary>
    public async Task RemoveAllAsync(Guid accountId)
    {
        var database = redis.GetDatabase();
        var keys = await database.SetMembersAsync(AccountPrefix + accountId);
        await database.KeyDeleteAsync([.. keys.Select(key => (RedisKey)(SessionPrefix + key)), AccountPrefix + accountId]);
    }

    private static string? AccountOf(AuthenticationTicket ticket) => ticket.Principal.FindFirst(AccountTokens.AccountIdClaim)?.Value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session store unavailable; the request goes on signed out: {Reason}")]
    private static partial void LogSessionUnavailable(ILogger logger, string reason);
}
