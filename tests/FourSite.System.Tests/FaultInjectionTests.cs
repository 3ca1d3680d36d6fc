using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FourSite.Client;
using FourSite.Smoke;
using FourSite.Testing;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FourSite.System.Tests;

/// <summary>The fault tests break the platform, so they get an AppHost of their own.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<PlatformApp>
{
    public const string Name = "faults";
}

/// <summary>
/// Fault injection on this machine: the broker restarted, the database restarted, Redis away, while requests flow. After each, every capture answered 2xx is stored exactly once, every accepted generation completes,
/// and the platform works again without restarting any service.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class FaultInjectionTests(PlatformApp platform)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    private IFourSiteApi Api(string clientAddress)
    {
        var client = platform.CreateGatewayClient();
        client.Timeout = TimeSpan.FromSeconds(90);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return FourSiteClient.For(client);
    }

    private async Task<Guid> SiteAsync(IFourSiteApi api, string name)
    {
        platform.GitHub.AddEveryRepository();
        return (await SmokeChecks.GenerateAsync(api, $"https://github.com/octo/{name}", CancellationToken.None)).SiteId;
    }

    /// <summary>Runs traffic, takes <paramref name="resource"/> down for a few seconds mid-flow, brings it back, runs on.</summary>
    private async Task<Disruption> FlowThroughOutageAsync(IFourSiteApi api, string resource, bool generate)
    {
        var flow = new Disruption(api, await SiteAsync(api, $"site-{resource}"), generate);
        using var stop = new CancellationTokenSource();
        var traffic = flow.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Command(resource, KnownResourceCommands.StopCommand);
        // The server must be gone (its port and, for RabbitMQ, its node name free) before it starts again.
        await platform.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates).WaitAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(Outage);
        await Command(resource, KnownResourceCommands.StartCommand);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(TimeSpan.FromMinutes(2));
        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await traffic;
        return flow;
    }

    private async Task Command(string resource, string command)
    {
        var result = await platform.App.ResourceCommands.ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    /// <summary>Each accepted capture's lead exists exactly once (read back through the operator export).</summary>
    private static async Task AssertStoredOnceAsync(IFourSiteApi api, Disruption flow)
    {
        Assert.True(!flow.CapturedEmails.IsEmpty, "no capture accepted; statuses " + string.Join(", ", flow.Statuses.Select(entry => $"{entry.Key}×{entry.Value}")));
        foreach (var email in flow.CapturedEmails)
        {
            var export = await Eventually.ReturnsAsync(() => api.ExportLeadsAsync(email, PlatformApp.OperatorKey), response => response.IsSuccessStatusCode);
            Assert.True(export.IsSuccessStatusCode, export.Describe());
            Assert.Equal(1, export.Content.GetArrayLength());
        }
    }

    /// <summary>Every accepted generation job completes (none is lost, none stays queued).</summary>
    private static async Task AssertJobsCompleteAsync(IFourSiteApi api, Disruption flow)
    {
        Assert.NotEmpty(flow.AcceptedJobs);
        foreach (var job in flow.AcceptedJobs)
        {
            var status = await Eventually.ReturnsAsync(async () => (await api.GetJobAsync(job)).Content?.Status, state => state is "completed" or "failed", TimeSpan.FromMinutes(3));
            Assert.Equal("completed", status);
        }
    }

    /// <summary>After the outage, new work goes through end to end.</summary>
    private async Task AssertRecoveredAsync(IFourSiteApi api, string name)
    {
        var site = await SiteAsync(api, $"after-{name}");
        var capture = await api.CaptureLeadAsync(new CaptureRequest($"after-{name}-{Guid.NewGuid():N}@foursite-faults.dev", site,
            Metadata: new CaptureMetadata(TimeOnSite: 30, ScrollDepth: 50, InteractionCount: 2)));
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);
    }

    [Fact]
    public async Task RabbitMQ_restarted_while_generations_and_leads_flow_loses_nothing()
    {
        var api = Api("192.0.2.11");

        var flow = await FlowThroughOutageAsync(api, "messaging", generate: true);

        await AssertStoredOnceAsync(api, flow);
        await AssertJobsCompleteAsync(api, flow);
        await AssertRecoveredAsync(api, "messaging");
    }

    [Fact]
    public async Task PostgreSQL_restarted_under_load_stores_every_accepted_lead_once()
    {
        var api = Api("192.0.2.12");

        var flow = await FlowThroughOutageAsync(api, "postgres", generate: false);

        Assert.DoesNotContain(500, flow.Statuses.Keys);
        await AssertStoredOnceAsync(api, flow);
        await AssertRecoveredAsync(api, "postgres");
    }

    [Fact]
    public async Task Redis_away_for_a_while_keeps_leads_flowing()
    {
        var api = Api("192.0.2.13");

        var flow = await FlowThroughOutageAsync(api, "cache", generate: false);

        Assert.True(flow.Statuses.GetValueOrDefault(201) > 0);
        await AssertStoredOnceAsync(api, flow);
        await AssertRecoveredAsync(api, "cache");
    }
}
