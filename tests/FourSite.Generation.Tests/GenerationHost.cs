using FourSite.StandIns;
using FourSite.Testing;
using FourSite.Testing.Fakes;

namespace FourSite.Generation.Tests;

/// <summary>The Generation service against real servers, with GitHub (and optionally an AI provider) faked on loopback.</summary>
public sealed class GenerationHost : IAsyncDisposable
{
    private GenerationHost(ServiceFactory<Program> service, GitHubStandIn gitHub, ChatModelFake? ai)
    {
        Service = service;
        GitHub = gitHub;
        Ai = ai;
        Client = service.CreateClient();
    }

    public ServiceFactory<Program> Service { get; }

    public GitHubStandIn GitHub { get; }

    public ChatModelFake? Ai { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the service and waits until it is ready, its bus included.</summary>
    public static async Task<GenerationHost> StartAsync(PlatformServers servers, bool withAi = false, Dictionary<string, string?>? settings = null)
    {
        var host = Create(servers, withAi, settings);
        await ServiceFactory<Program>.WaitUntilReadyAsync(host.Client);
        return host;
    }

    /// <summary>The settings that point the service at the fakes, for a host built by hand.</summary>
    public static Dictionary<string, string?> SettingsFor(GitHubStandIn gitHub) => new()
    {
        ["FourSite:GitHub:ApiUrl"] = gitHub.Url,
        ["FourSite:GitHub:Resilience:Retry:MaxRetryAttempts"] = "1",
        ["FourSite:GitHub:Resilience:Retry:Delay"] = "00:00:00.050",
        ["FourSite:Generation:WaitBound"] = "00:00:20",
    };

    private static GenerationHost Create(PlatformServers servers, bool withAi, Dictionary<string, string?>? settings)
    {
        var gitHub = new GitHubStandIn();
        var ai = withAi ? new ChatModelFake() : null;
        var all = SettingsFor(gitHub);
        if (ai is not null)
        {
            all["FourSite:Ai:Endpoint"] = ai.Endpoint;
            all["FourSite:Ai:ApiKey"] = "test-key";
            all["FourSite:Ai:Model"] = "fake-model";
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new GenerationHost(new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, all), gitHub, ai);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Service.DisposeAsync();
        GitHub.Dispose();
        Ai?.Dispose();
    }
}
