using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FourSite.Testing.Fakes;

/// <summary>An incoming chat webhook (Slack's kind) on loopback, keeping every alert posted to it.</summary>
public sealed class AlertWebhookFake : IDisposable
{
    private const string Path = "/hooks/alerts";

    private readonly WireMockServer _server = WireMockServer.Start();

    public AlertWebhookFake() =>
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(200));

    /// <summary>The address to configure as <c>FourSite:Metrics:AlertWebhookUrl</c>.</summary>
    public string Url => _server.Url + Path;

    /// <summary>The bodies posted so far that mention <paramref name="rule"/>, oldest first.</summary>
    public IReadOnlyList<string> PostsAbout(string rule) =>
        [.. _server.LogEntries.Select(entry => entry.RequestMessage.Body ?? "").Where(body => body.Contains(rule, StringComparison.Ordinal))];

    public void Dispose() => _server.Stop();
}
