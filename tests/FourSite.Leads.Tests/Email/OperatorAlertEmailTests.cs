using FourSite.Contracts.Metrics;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>An email alert channel's notification is sent by the platform's sender to each on-call address, once however often it arrives.</summary>
public sealed class OperatorAlertEmailTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    [Fact]
    public async Task Each_on_call_address_gets_the_alert_once()
    {
        var alert = new OperatorAlertEmail(Guid.NewGuid(), ["oncall@example.org", "Second.Oncall@example.org", "not an address"], "ai_failure_rate", "critical", "raised",
            "AI provider failures above 5 % of AI generations over 5 minutes", 0.12, 0.05, DateTimeOffset.UtcNow);

        await _leads.Bus.Publish(alert);
        await _leads.Bus.Publish(alert);

        var first = Assert.Single(await _leads.MailToAsync("oncall@example.org"));
        Assert.Equal("[CRITICAL] ai_failure_rate raised", first.Subject);
        Assert.Contains("value 0.12, threshold 0.05", first.TextBody, StringComparison.Ordinal);
        Assert.Single(await _leads.MailToAsync("Second.Oncall@example.org"));
        // The redelivered message queued nothing more.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(_leads.Smtp.To("oncall@example.org"));
    }
}
