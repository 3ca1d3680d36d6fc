using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FourSite.Ops.Releases;

/// <summary>A Kustomize overlay of <c>deploy/kubernetes</c> as <c>kubectl kustomize</c> renders it: its objects, as JSON with YAML's types.</summary>
public static class Overlay
{
    public static async Task<IReadOnlyList<JsonObject>> RenderAsync(string directory, CancellationToken cancellationToken)
    {
#pragma warning disable S4036 // The operator's own kubectl, found on their PATH as their shell finds it.
        using var kubectl = Process.Start(new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("kubectl could not be started.");
#pragma warning restore S4036
        var output = kubectl.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = kubectl.StandardError.ReadToEndAsync(cancellationToken);
        await kubectl.WaitForExitAsync(cancellationToken);
        if (kubectl.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed: {await errors}");
        }

        return Parse(await output);
    }

    /// <summary>Every document of a YAML stream as a JSON object.</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(document => ToJson(document.RootNode)).OfType<JsonObject>().ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}."),
    };

    /// <summary>A plain scalar keeps YAML's type (number, boolean, null); a quoted one is a string.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "null" or "~" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && text.Any(char.IsDigit) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
