using System.Text.Json;
using System.Text.Json.Nodes;

namespace FourSite.Ops.Scanning;

/// <summary>
/// Well-formed values for an operation's parameters and body, so that each hostile input is the only thing wrong with a
/// request. Site ids are the scanned site's, when the scan has one.
/// </summary>
public sealed class PlausibleValues(JsonElement document, Guid? siteId)
{
    private readonly Guid _other = Guid.NewGuid();

    public string For(ApiParameter parameter) => Scalar(parameter.Name, parameter.Type, parameter.Format).ToString() ?? "";

    public JsonNode? For(JsonElement schema, int depth = 0)
    {
        schema = Resolve(schema);
        if (depth > 4)
        {
            return null;
        }

        if (ApiOperation.TypeOf(schema) is "object" or null && schema.TryGetProperty("properties", out var properties))
        {
            return new JsonObject(properties.EnumerateObject().Select(property =>
                KeyValuePair.Create(property.Name, ApiOperation.TypeOf(Resolve(property.Value)) is "object" or "array" or null
                    ? For(property.Value, depth + 1)
                    : JsonValue.Create(Scalar(property.Name, ApiOperation.TypeOf(Resolve(property.Value)), Format(Resolve(property.Value)))) as JsonNode)));
        }

        return ApiOperation.TypeOf(schema) switch
        {
            "array" => new JsonArray(),
            "object" => new JsonObject(),
            var type => JsonValue.Create(Scalar("value", type, Format(schema))),
        };
    }

    private object Scalar(string name, string? type, string? format) => (type, format) switch
    {
        ("integer", _) or ("number", _) => 1,
        ("boolean", _) => true,
        (_, "uuid") => IsSite(name) && siteId is { } site ? site : _other,
        (_, "email") => "scan@foursite-scan.dev",
        (_, "uri") => "https://github.com/octo/scan",
        (_, "date-time") => DateTimeOffset.UnixEpoch.ToString("O"),
        _ when IsSite(name) && siteId is { } site => site.ToString(),
        _ when name.Contains("email", StringComparison.OrdinalIgnoreCase) => "scan@foursite-scan.dev",
        _ when name.Contains("url", StringComparison.OrdinalIgnoreCase) => "https://github.com/octo/scan",
        _ => "scan",
    };

    private static bool IsSite(string name) =>
        name.Contains("siteId", StringComparison.OrdinalIgnoreCase) || name.Contains("websiteId", StringComparison.OrdinalIgnoreCase)
        || name.Equals("idOrSlug", StringComparison.OrdinalIgnoreCase);

    private static string? Format(JsonElement schema) => schema.TryGetProperty("format", out var format) ? format.GetString() : null;

    /// <summary>Follows <c>$ref</c> into the document's components.</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 8 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = document;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                if (!target.TryGetProperty(segment, out target))
                {
                    return default;
                }
            }

            schema = target;
        }

        return schema.ValueKind == JsonValueKind.Object ? schema : ApiOperation.EmptySchema;
    }
}
