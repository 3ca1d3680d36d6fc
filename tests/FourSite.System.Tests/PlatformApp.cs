using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FourSite.AppHost.Infrastructure.Local;
using FourSite.StandIns;
using FourSite.Testing.Fakes;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>The whole AppHost (servers, services, gateway), started once for the system tests and stopped after them.</summary>
public class PlatformApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>GitHub as the platform sees it: the AppHost hands this address to Generation as <c>FourSite:GitHub:ApiUrl</c>.</summary>
    public GitHubStandIn GitHub { get; } = new();

    /// <summary>Stripe as the platform sees it (<c>FourSite:Stripe:ApiUrl</c>), with a test key so checkout is on.</summary>
    public StripeFake Stripe { get; } = new();

    /// <summary>The DNS server custom domains are verified against (<c>FourSite:Domains:NameServers</c>).</summary>
    public DnsServerFake Dns { get; } = new();

    public const string OperatorKey = "system-tests-operator-key-0123456789";

    /// <summary>The secret GitHub signs its webhook deliveries with here.</summary>
    public const string GitHubWebhookSecret = "system-tests-github-webhook-secret";

    /// <summary>A GitHub login that, signed in, acts as an operator.</summary>
    public const string OperatorLogin = "ops-olga";

    /// <summary>Sites one account may generate a day here.</summary>
    public const int SitesPerAccountPerDay = 4;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FourSite_AppHost>(
            [
                $"FourSite:GitHub:ApiUrl={GitHub.Url}",
                $"FourSite:Stripe:ApiUrl={Stripe.Url}",
                $"FourSite:Stripe:SecretKey={StripeFake.SecretKey}",
                $"FourSite:Stripe:WebhookSecret={StripeFake.WebhookSecret}",
                $"FourSite:Operator:ApiKey={OperatorKey}",
                $"FourSite:Operator:GitHubLogins:0={OperatorLogin}",
                $"FourSite:GitHub:WebhookSecret={GitHubWebhookSecret}",
                $"FourSite:Domains:NameServers:0={Dns.Address}",
                // Owners' webhook receivers in these tests listen on loopback; vitals are assessed and owners'
                // analytics rolled up every 2 s, not every minute.
                "FourSite:Webhooks:AllowLoopback=true",
                // Every test generates from loopback: one network, more sites than a person makes in a day.
                "FourSite:Abuse:SitesPerNetworkPerDay=0",
                // An account, though, is held to a handful: the quota test reaches it.
                $"FourSite:Abuse:SitesPerAccountPerDay={SitesPerAccountPerDay}",
                "FourSite:Metrics:VitalsInterval=00:00:02",
                "FourSite:Metrics:SiteAnalyticsInterval=00:00:02",
                .. GitHub.OAuthSettings,
                // A port of its own: other test processes (and a developer's AppHost on :8080) may run at the same time.
                $"FourSite:Gateway:Port={FreePort.Next()}",
                .. Settings,
            ], timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        // No SMTP relay is configured, as on a developer's machine: the mail goes to smtp4dev.
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("mail", timeout.Token);
    }

    /// <summary>Settings of this AppHost beyond the fakes' addresses.</summary>
    protected virtual IEnumerable<string> Settings => [];

    public HttpClient CreateGatewayClient() => App.CreateHttpClient("gateway", "http");

    /// <summary>The mail catcher's inbox (smtp4dev, run by the AppHost when no relay is configured).</summary>
    public MailInbox Inbox => new(App.CreateHttpClient("mail", "http"));

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GitHub.Dispose();
        Stripe.Dispose();
        Dns.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformApp>
{
    public const string Name = "platform";
}
