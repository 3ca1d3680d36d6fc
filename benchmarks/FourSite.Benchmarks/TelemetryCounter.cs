using System.Buffers.Binary;
using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FourSite.Benchmarks;

/// <summary>
/// An OTLP/gRPC receiver on loopback that counts what each service exports, in place of the dashboard: spans by
/// instrumentation scope, log records by category, metric export bytes. Counts are kept per service and scope, so a
/// window's difference says what one generation or one capture sends.
/// </summary>
public sealed class TelemetryCounter : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Signal, string Service, string Scope), long> _counts = new();

    private TelemetryCounter(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<TelemetryCounter> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // OTLP/gRPC over cleartext: HTTP/2 with prior knowledge.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var counter = new TelemetryCounter(app);
        app.MapPost("/opentelemetry.proto.collector.trace.v1.TraceService/Export", context => counter.ReceiveAsync(context, "spans"));
        app.MapPost("/opentelemetry.proto.collector.logs.v1.LogsService/Export", context => counter.ReceiveAsync(context, "logs"));
        app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", context => counter.ReceiveAsync(context, "metrics"));
        await app.StartAsync();
        return counter;
    }

    /// <summary>Everything counted so far: (signal, service, scope) → spans, the traces they start (roots), log records or metric bytes.</summary>
    public Dictionary<(string Signal, string Service, string Scope), long> Snapshot() => new(_counts);

    private async Task ReceiveAsync(HttpContext context, string signal)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        // A gRPC message: one byte "compressed" (the exporter does not compress), four bytes of length, the protobuf.
        var frame = body.GetBuffer().AsMemory(0, (int)body.Length);
        var message = frame[5..(5 + (int)BinaryPrimitives.ReadUInt32BigEndian(frame.Span[1..5]))];
        Count(signal, message);

        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        // An empty Export…ServiceResponse, framed.
        await context.Response.Body.WriteAsync(new byte[5]);
    }

    /// <summary>
    /// Export…ServiceRequest: 1 resource_* { 1 resource { 1 attributes }, 2 scope_* { 1 scope { 1 name }, 2 record } }.
    /// Spans and log records are counted one by one; metrics by the bytes they take.
    /// </summary>
    private void Count(string signal, ReadOnlyMemory<byte> request)
    {
        foreach (var resource in Fields(request, 1))
        {
            var service = Fields(resource, 1).SelectMany(attributes => Fields(attributes, 1))
                .Select(attribute => (Key: Text(Fields(attribute, 1).FirstOrDefault()), Value: Fields(attribute, 2).FirstOrDefault()))
                .Where(attribute => attribute.Key == "service.name")
                .Select(attribute => Text(Fields(attribute.Value, 1).FirstOrDefault()))
                .FirstOrDefault() ?? "?";
            foreach (var scope in Fields(resource, 2))
            {
                var scopeName = Text(Fields(scope, 1).SelectMany(instrumentationScope => Fields(instrumentationScope, 1)).FirstOrDefault());
                var records = Fields(scope, 2).ToList();
                _counts.AddOrUpdate((signal, service, scopeName), _ => Amount(records), (_, total) => total + Amount(records));
                if (signal == "spans")
                {
                    // Span field 4 is the parent's id: a span without one starts a trace of its own.
                    var roots = records.Count(span => Fields(span, 4).All(parent => parent.IsEmpty));
                    _counts.AddOrUpdate(("roots", service, scopeName), _ => roots, (_, total) => total + roots);
                }
            }
        }

        long Amount(List<ReadOnlyMemory<byte>> records) => signal == "metrics" ? records.Sum(record => (long)record.Length) : records.Count;
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of a protobuf message.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int number)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        var input = new CodedInputStream(message.ToArray());
        while (input.ReadTag() is var tag and not 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().Memory);
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
