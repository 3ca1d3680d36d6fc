using FourSite.Leads.Webhooks;
using FourSite.Testing.Fakes;
using Microsoft.Extensions.Options;
using Xunit;

namespace FourSite.Leads.Tests.Webhooks;

/// <summary>Where webhooks may go: checked when a URL is given and again when each connection is made.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static WebhookSender Sender(bool allowLoopback)
    {
        var options = new WebhookOptions { AllowLoopback = allowLoopback, Timeout = TimeSpan.FromSeconds(2) };
        return new WebhookSender(new WebhookHttpClient(Options.Create(options)), new StaticOptions(options), TimeProvider.System);
    }

    private static DueDelivery Delivery(string url) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "webhook.test", """{"type":"webhook.test"}""", null, 0, url, WebhookSecrets.New(), null);

    [Theory]
    [InlineData("http://127.0.0.1:{port}/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://192.168.0.10/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[fd00::1]/hooks")]
    public async Task Addresses_inside_are_refused_at_connect_time(string url)
    {
        var outcome = await Sender(allowLoopback: false).SendAsync(Delivery(url.Replace("{port}", new Uri(_receiver.BaseUrl).Port.ToString(), StringComparison.Ordinal)), CancellationToken.None);

        Assert.Null(outcome.StatusCode);
        Assert.False(outcome.Delivered);
        Assert.Contains("may not reach", outcome.Error);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Loopback_is_let_through_only_when_allowed_and_redirects_are_never_followed()
    {
        var delivered = await Sender(allowLoopback: true).SendAsync(Delivery(_receiver.Url("/ok")), CancellationToken.None);
        Assert.True(delivered.Delivered);

        _receiver.Answer = (request, _) => Task.FromResult(request.Path == "/moved" ? 302 : 200);
        var redirected = await Sender(allowLoopback: true).SendAsync(Delivery(_receiver.Url("/moved")), CancellationToken.None);
        Assert.Equal(302, redirected.StatusCode);
        Assert.False(redirected.Delivered);
        Assert.DoesNotContain(_receiver.Received, hook => hook.Path == "/redirected");
    }

    [Theory]
    [InlineData("https://hooks.example.org/x", false, true)]
    [InlineData("http://hooks.example.org/x", false, false)]
    [InlineData("http://127.0.0.1:9000/x", false, false)]
    [InlineData("http://127.0.0.1:9000/x", true, true)]
    [InlineData("http://localhost:9000/x", true, false)]
    [InlineData("https://printer.localhost/x", false, false)]
    [InlineData("https://user@hooks.example.org/x", false, false)]
    public void Urls_are_checked_when_given(string url, bool allowLoopback, bool accepted) =>
        Assert.Equal(accepted, WebhookTarget.Parse(url, allowLoopback, out _) is not null);

    private sealed class StaticOptions(WebhookOptions value) : IOptionsMonitor<WebhookOptions>
    {
        public WebhookOptions CurrentValue => value;

        public WebhookOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<WebhookOptions, string?> listener) => null;
    }
}
