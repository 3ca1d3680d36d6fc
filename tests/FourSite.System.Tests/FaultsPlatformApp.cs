using FourSite.AppHost;
using FourSite.Testing.Fakes;

namespace FourSite.System.Tests;

/// <summary>The fault tests' AppHost: its alert rounds run every two seconds and post to a webhook the tests read.</summary>
public sealed class FaultsPlatformApp : PlatformApp
{
    public AlertWebhookFake AlertWebhook { get; } = new();

    protected override IEnumerable<string> Settings =>
    [
        $"{PlatformSettings.AlertWebhookUrl}={AlertWebhook.Url}",
        $"{PlatformSettings.EvaluationInterval}=00:00:02",
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        AlertWebhook.Dispose();
    }
}
