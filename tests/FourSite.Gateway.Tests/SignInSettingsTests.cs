using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>Sign-in turned off by its settings, and what every gateway replica shares so nobody is signed out by another.</summary>
public sealed class SignInSettingsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Without_an_OAuth_client_sign_in_is_off_and_says_so()
    {
        await using var gateway = new GatewayFactory([], redis.Server.ConnectionString);
        using var client = gateway.CreateClient(new() { AllowAutoRedirect = false });

        using var login = await client.GetAsync("/auth/github/login?returnUrl=/dashboard");
        using var me = await client.GetAsync("/api/me");
        var problem = await me.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Equal("sign_in_not_configured", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.False(problem.GetProperty("signInAvailable").GetBoolean());
    }

    [Fact]
    public async Task Every_replica_reads_what_another_protected_so_a_second_gateway_or_a_restart_signs_nobody_out()
    {
        await using var first = new GatewayFactory([], redis.Server.ConnectionString);
        await using var second = new GatewayFactory([], redis.Server.ConnectionString);
        using var _ = first.CreateClient();
        using var __ = second.CreateClient();

        var sealedByFirst = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("FourSite.Gateway.Sessions").Protect("a session");
        var openedBySecond = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("FourSite.Gateway.Sessions").Unprotect(sealedByFirst);

        Assert.Equal("a session", openedBySecond);
    }
}
