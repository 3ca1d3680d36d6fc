using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FourSite.Testing.Fakes;

/// <summary>An incoming chat webhook (Slack's kind) on loopback, keeping every alert posted to it.</summary>
public sealed class AlertWebhookFake : IDisposable
{
    private const string Path = "/hooks/alerts";

    private readonly WireMockServer _server = WireMockServer.Start();

    private static readonly Guid Mapping = Guid.Parse("5f0c0a7e-6a55-4e57-9c84-6d1f36c0a001");

    public AlertWebhookFake() => Answer(200);

    /// <summary>From now on, every post is answered with <paramref name="status"/> (e.g. 503: the receiver is down).</summary>
    public void Answer(int status) =>
        _server.Given(Request.Create().WithPath(Path).UsingPost()).WithGuid(Mapping).RespondWith(Response.Create().WithStatusCode(status));

    /// <summary>The bodies of posts that were answered 200 (accepted), oldest first.</summary>
    public IReadOnlyList<string> Accepted() =>
        [.. _server.LogEntries.Where(entry => Equals(entry.ResponseMessage.StatusCode, 200)).Select(entry => entry.RequestMessage.Body ?? "")];

    /// <summary>The address to configure as <c>FourSite:Metrics:AlertWebhookUrl</c>.</summary>
    public string Url => _server.Url + Path;

    /// <summary>The bodies posted so far that mention <paramref name="rule"/>, oldest first.</summary>
    public IReadOnlyList<string> PostsAbout(string rule) =>
        [.. _server.LogEntries.Select(entry => entry.RequestMessage.Body ?? "").Where(body => body.Contains(rule, StringComparison.Ordinal))];

    public void Dispose() => _server.Stop();
}
