using System.Text.Json.Nodes;
using FourSite.Testing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace FourSite.Deploy.Tests;

/// <summary>An overlay of <c>deploy/kubernetes</c> as <c>kubectl kustomize</c> renders it: its objects, as JSON (every scalar a string).</summary>
public sealed class RenderedOverlay(string name, IReadOnlyList<JsonObject> objects)
{
    public string Name => name;

    public IReadOnlyList<JsonObject> Objects => objects;

    public IEnumerable<JsonObject> OfKind(string kind) => objects.Where(item => item["kind"]?.GetValue<string>() == kind);

    public JsonObject Named(string kind, string objectName) =>
        OfKind(kind).SingleOrDefault(item => NameOf(item) == objectName) ?? throw new InvalidOperationException($"{name} has no {kind} {objectName}.");

    public static string NameOf(JsonNode item) => item["metadata"]!["name"]!.GetValue<string>();

    public static async Task<RenderedOverlay> RenderAsync(string overlay)
    {
        var (exitCode, output, errors) = await Repository.RunAsync("kubectl", Repository.Root, null, "kustomize", Path.Combine(Repository.Root, "deploy", "kubernetes", "overlays", overlay));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {overlay} failed: {errors}");
        }

        var parser = new Parser(new StringReader(output));
        var deserializer = new DeserializerBuilder().Build();
        var toJson = new SerializerBuilder().JsonCompatible().Build();
        var objects = new List<JsonObject>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            objects.Add(JsonNode.Parse(toJson.Serialize(deserializer.Deserialize<object>(parser)))!.AsObject());
        }

        return new RenderedOverlay(overlay, objects);
    }
}
