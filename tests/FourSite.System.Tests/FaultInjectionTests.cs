using System.Net;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Dapper;
using FourSite.Client;
using FourSite.Ops;
using FourSite.Testing;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace FourSite.System.Tests;

/// <summary>The fault tests break the platform, so they get an AppHost of their own.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsPlatformApp>
{
    public const string Name = "faults";
}

/// <summary>
/// Fault injection on this machine: the broker restarted, the database restarted, Redis away, a service replica killed,
/// and each of the three servers paused (SIGSTOP, then SIGCONT), while requests flow. After each, every capture answered 2xx is stored exactly once, every accepted generation
/// completes, and the platform works again without restarting any other service.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class FaultInjectionTests(FaultsPlatformApp platform, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    /// <summary>Longer than a client's patience with Redis (5 s) and than the gateway's health probes, as a stalled VM is.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(12);

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

    /// <summary>
    /// Runs traffic, stops <paramref name="resource"/> for a few seconds mid-flow (or, with <paramref name="crash"/>, kills
    /// its processes as a crash would), starts it again, runs on.
    /// </summary>
    private async Task<Disruption> FlowThroughOutageAsync(IFourSiteApi api, string resource, bool generate, bool crash = false)
    {
        var flow = new Disruption(api, await SiteAsync(api, $"site-{resource}"), generate ? "octo" : null);
        await FlowThroughOutageAsync(flow, resource, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (crash)
            {
                KillTree(await ProcessTree.OfResourceAsync(platform.App, resource));
                return;
            }

            // Aspire polls a stop for about 15 s and then reports it failed, while the orchestrator goes on stopping the
            // process: on two busy cores that can take longer. Whether it stopped is what the wait below asserts.
            var stopped = await platform.App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand);
            if (!stopped.Success)
            {
                output.WriteLine($"stop {resource}: {stopped.Message}; waiting for it to end");
            }
        });
        return flow;
    }

    /// <summary>Runs the flow, lets <paramref name="takeDown"/> end <paramref name="resource"/> mid-flow, starts it again after a few seconds, runs on.</summary>
    private async Task FlowThroughOutageAsync(Disruption flow, string resource, Func<Task> takeDown)
    {
        using var stop = new CancellationTokenSource();
        var traffic = flow.RunAsync(stop.Token);
        await takeDown();
        // The process must be gone (its port and, for RabbitMQ, its node name free) before it starts again.
        var ended = platform.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates);
        if (await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(30))) != ended)
        {
            // The orchestrator gave up on its stop (on two busy cores its patience can run out): the server ends as in a crash.
            output.WriteLine($"{resource} still running 30 s after its stop: killing its processes");
            KillTree(await ProcessTree.OfResourceAsync(platform.App, resource));
        }

        await ended.WaitAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(Outage);
        await Command(resource, KnownResourceCommands.StartCommand);
        // Right after the start command the resource may still report its last run's end: wait through it.
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, starting.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await traffic;
    }

    private static void KillTree(int root)
    {
        try
        {
            using var process = global::System.Diagnostics.Process.GetProcessById(root);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // It ended meanwhile: nothing left to kill.
        }
    }

    private async Task Command(string resource, string command)
    {
        var result = await platform.App.ResourceCommands.ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    /// <summary>Each accepted capture's lead exists exactly once (read back through the operator export).</summary>
    private async Task AssertStoredOnceAsync(IFourSiteApi api, Disruption flow)
    {
        var statuses = Disruption.Describe(flow.Statuses);
        output.WriteLine($"answers: {statuses}");
        Assert.True(!flow.CapturedEmails.IsEmpty, "no capture accepted; answers " + statuses);
        foreach (var email in flow.CapturedEmails)
        {
            var export = await Eventually.ReturnsAsync(() => api.ExportLeadsAsync(email, PlatformApp.OperatorKey), response => response.IsSuccessStatusCode);
            Assert.True(export.IsSuccessStatusCode, export.Describe());
            Assert.Equal(1, export.Content.GetArrayLength());
        }

        output.WriteLine($"captures answered 2xx: {flow.CapturedEmails.Count}, each stored exactly once");
    }

    /// <summary>
    /// Each beacon answered 202 is stored exactly once (beacons wait in Redis until PostgreSQL takes them; their id is the
    /// key). A beacon answered 503 may still be stored, when the write the service gave up on ran later: that is counted, not failed.
    /// </summary>
    private async Task AssertBeaconsStoredOnceAsync(Disruption flow)
    {
        var statuses = Disruption.Describe(flow.BeaconStatuses);
        output.WriteLine($"beacon answers: {statuses}");
        Assert.DoesNotContain(500, flow.BeaconStatuses.Keys);
        Assert.True(!flow.AcceptedBeacons.IsEmpty, "no beacon accepted; answers " + statuses);
        var accepted = flow.AcceptedBeacons.ToArray();
        // Unpooled: connections pooled before a database restart are dead.
        await using var database = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("metricsdb") + ";Pooling=false");
        var stored = await Eventually.ReturnsAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE id = ANY(@accepted)", new { accepted }),
            count => count >= accepted.Length);
        var session = await database.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE session_id = @session", new { session = flow.BeaconSession });
        Assert.Equal(accepted.Length, stored);
        output.WriteLine($"beacons answered 202: {accepted.Length}, stored: {stored} (ids are unique); stored in all from this flow: {session}");
    }

    /// <summary>Each share answered 201 is stored exactly once.</summary>
    private async Task AssertSharesStoredOnceAsync(Disruption flow)
    {
        var statuses = Disruption.Describe(flow.ShareStatuses);
        output.WriteLine($"share answers: {statuses}");
        Assert.DoesNotContain(500, flow.ShareStatuses.Keys);
        var accepted = flow.AcceptedShares.ToArray();
        Assert.True(accepted.Length > 0, "no share accepted; answers " + statuses);
        await using var database = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("viraldb") + ";Pooling=false");
        var stored = await Eventually.ReturnsAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE id = ANY(@accepted)", new { accepted }),
            count => count >= accepted.Length);
        var site = await database.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE website_id = @site", new { site = flow.SiteId });
        Assert.Equal(accepted.Length, stored);
        output.WriteLine($"shares answered 201: {accepted.Length}, stored: {stored}; stored in all for the site: {site}");
    }

    /// <summary>Every accepted generation job completes (none is lost, none stays queued).</summary>
    private async Task AssertJobsCompleteAsync(IFourSiteApi api, Disruption flow)
    {
        Assert.NotEmpty(flow.AcceptedJobs);
        foreach (var job in flow.AcceptedJobs)
        {
            var status = await Eventually.ReturnsAsync(async () => (await api.GetJobAsync(job)).Content?.Status, state => state is "completed" or "failed", TimeSpan.FromMinutes(3));
            Assert.Equal("completed", status);
        }

        output.WriteLine($"generations accepted: {flow.AcceptedJobs.Count}, each completed");
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
        await AssertBeaconsStoredOnceAsync(flow);
        await AssertJobsCompleteAsync(api, flow);
        await AssertRecoveredAsync(api, "messaging");
    }

    [Fact]
    public async Task PostgreSQL_restarted_under_load_stores_every_accepted_lead_once()
    {
        var api = Api("192.0.2.12");

        // Killed rather than stopped: after the pause test the orchestrator's stop of PostgreSQL can fail and leave the
        // resource untracked; a crash is the harder case for the services anyway (no orderly goodbye to any client).
        var flow = await FlowThroughOutageAsync(api, "postgres", generate: false, crash: true);

        Assert.DoesNotContain(500, flow.Statuses.Keys);
        await AssertStoredOnceAsync(api, flow);
        await AssertBeaconsStoredOnceAsync(flow);
        await AssertRecoveredAsync(api, "postgres");
        // Operators heard of the outage while no alert round could run, and of its end.
        var posts = (await Eventually.ReturnsAsync(() => Task.FromResult(platform.AlertWebhook.PostsAbout("database_errors")),
            found => found.Any(post => post.Contains("could not be reached from", StringComparison.Ordinal)))).ToList();
        output.WriteLine($"alert webhook: {string.Join(" | ", posts)}");
        var raised = posts.FindIndex(post => post.Contains("PostgreSQL cannot be reached", StringComparison.Ordinal));
        var resolved = posts.FindIndex(post => post.Contains("resolved: PostgreSQL could not be reached from", StringComparison.Ordinal));
        Assert.InRange(raised, 0, resolved - 1);
    }

    [Fact]
    public async Task Redis_away_for_a_while_keeps_leads_flowing()
    {
        var api = Api("192.0.2.13");

        var flow = await FlowThroughOutageAsync(api, "cache", generate: false);

        Assert.True(flow.Statuses.GetValueOrDefault(201) > 0);
        await AssertStoredOnceAsync(api, flow);
        await AssertBeaconsStoredOnceAsync(flow);
        await AssertRecoveredAsync(api, "cache");
    }

    [Theory]
    [InlineData("generation", "192.0.2.14")]
    [InlineData("leads", "192.0.2.15")]
    public async Task A_service_replica_killed_mid_request_loses_nothing_it_accepted(string service, string clientAddress)
    {
        var api = Api(clientAddress);
        // Generations of these repositories wait on GitHub, so some are always mid-job when the replica dies.
        platform.GitHub.AddSlowRepositoriesOf("slow", TimeSpan.FromSeconds(2));
        var flow = new Disruption(api, await SiteAsync(api, $"site-kill-{service}"), generateFrom: "slow");

        // Starting a new replica is what an orchestrator does for a crashed one; nothing else is restarted.
        await FlowThroughOutageAsync(flow, service, async () =>
        {
            var running = await Eventually.ReturnsAsync(() => AnyRunningJobAsync(api, flow), job => job is not null);
            Assert.NotNull(running);
            var killed = await ReplicaCrash.KillAsync(platform.App, service);
            output.WriteLine($"killed {service} (process {killed}) while job {running} was running");
        });

        Assert.DoesNotContain(500, flow.Statuses.Keys);
        await AssertStoredOnceAsync(api, flow);
        await AssertBeaconsStoredOnceAsync(flow);
        await AssertJobsCompleteAsync(api, flow);
        await AssertRecoveredAsync(api, $"kill-{service}");
    }

    [Theory]
    [InlineData("postgres", "192.0.2.21")]
    [InlineData("cache", "192.0.2.22")]
    [InlineData("messaging", "192.0.2.23")]
    public async Task A_server_paused_under_load_loses_nothing_it_accepted(string resource, string clientAddress)
    {
        var api = Api(clientAddress);
        var flow = new Disruption(api, await SiteAsync(api, $"site-pause-{resource}"), generateFrom: "octo") { ShareTraffic = true };

        using (var stop = new CancellationTokenSource())
        {
            var traffic = flow.RunAsync(stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await using (var pause = await ServerPause.PauseAsync(platform.App, resource))
            {
                output.WriteLine($"paused {resource}: {pause.ProcessCount} processes for {Pause.TotalSeconds} s");
                await Task.Delay(Pause);
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            stop.Cancel();
            await traffic;
        }

        Assert.DoesNotContain(500, flow.Statuses.Keys);
        await AssertStoredOnceAsync(api, flow);
        await AssertBeaconsStoredOnceAsync(flow);
        await AssertSharesStoredOnceAsync(flow);
        await AssertJobsCompleteAsync(api, flow);
        await AssertRecoveredAsync(api, $"pause-{resource}");
    }

    /// <summary>An accepted generation that is being worked on right now, if there is one.</summary>
    private static async Task<Guid?> AnyRunningJobAsync(IFourSiteApi api, Disruption flow)
    {
        foreach (var job in flow.AcceptedJobs)
        {
            if ((await api.GetJobAsync(job)).Content?.Status == "running")
            {
                return job;
            }
        }

        return null;
    }
}
