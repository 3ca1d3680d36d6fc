using System.Net;
using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FourSite.Testing.Fakes;

/// <summary>An OpenAI-compatible chat completions endpoint faked over HTTP on loopback (no AI provider is reachable from tests).</summary>
public sealed class ChatModelFake : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    /// <summary>The endpoint to configure as <c>FourSite:Ai:Endpoint</c>.</summary>
    public string Endpoint => _server.Url + "/v1/";

    public int Calls => _server.LogEntries.Count();

    /// <summary>Every completion answers with this object serialised as the message content.</summary>
    public void AnswerWith(object content, string model = "fake-model") =>
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
            {
                id = "chatcmpl-test",
                @object = "chat.completion",
                created = 1_700_000_000,
                model,
                choices = new[]
                {
                    new { index = 0, finish_reason = "stop", message = new { role = "assistant", content = JsonSerializer.Serialize(content) } },
                },
                usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
            }));

    /// <summary>Every completion fails with this status (a bad key is 401, an outage 500 or 503).</summary>
    public void FailWith(HttpStatusCode status) =>
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(new { error = new { message = "provider failure", type = "server_error" } }));

    public void Dispose() => _server.Stop();
}
