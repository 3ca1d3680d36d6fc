using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FourSite.Testing.Fakes;

/// <summary>One request a <see cref="WebhookReceiver"/> got: its path, Standard Webhooks headers and raw body.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string Body, int AnsweredWith);

/// <summary>
/// An owner's endpoint on loopback: keeps every request and answers as <see cref="Answer"/> says (a status code, after
/// as long as it likes), so a test can make it fail, time out and recover.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>What to answer a request with (default: 200 at once).</summary>
    public Func<HttpRequest, CancellationToken, Task<int>> Answer { get; set; } = (_, _) => Task.FromResult(StatusCodes.Status200OK);

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The requests answered 2xx, once per <c>webhook-id</c>: what a receiver that dedupes would have processed.</summary>
    public IReadOnlyList<ReceivedWebhook> Processed =>
        [.. _received.Where(hook => hook.AnsweredWith is >= 200 and < 300).GroupBy(hook => hook.Id).Select(group => group.First())];

    public string Url(string path = "/hooks") => BaseUrl + path;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            int status;
            try
            {
                status = await receiver.Answer(context.Request, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up first.
                status = 0;
            }

            var headers = context.Request.Headers;
            receiver._received.Enqueue(new ReceivedWebhook(context.Request.Path, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body, status));
            if (status > 0 && !context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = status;
                if (status is >= 300 and < 400)
                {
                    context.Response.Headers.Location = receiver.Url("/redirected");
                }
            }
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
