using System.Text.Json;

namespace FourSite.Ops.Scanning;

/// <summary>A parameter of an operation: where it goes (<c>path</c> or <c>query</c>), and its schema's type and format.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, string? Type, string? Format);

/// <summary>One operation of an OpenAPI document, as much of it as the scan needs.</summary>
public sealed record ApiOperation(string Method, string Path, IReadOnlyList<ApiParameter> Parameters, JsonElement? BodySchema, bool Protected)
{
    /// <summary>A schema that says nothing (<c>{}</c>): a body of unknown shape.</summary>
    public static readonly JsonElement EmptySchema = JsonDocument.Parse("{}").RootElement;

    public override string ToString() => $"{Method} {Path}";

    /// <summary>Every operation of an OpenAPI 3 document (JSON), with the document kept for its schema references.</summary>
    public static IEnumerable<ApiOperation> AllIn(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var shared = ParametersOf(path.Value).ToList();
            foreach (var operation in path.Value.EnumerateObject().Where(entry => entry.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var body = operation.Value.TryGetProperty("requestBody", out var requestBody) && requestBody.TryGetProperty("content", out var content)
                    ? content.EnumerateObject().Select(type => type.Value.TryGetProperty("schema", out var schema) ? schema : (JsonElement?)null).FirstOrDefault(schema => schema is not null)
                        ?? EmptySchema
                    : (JsonElement?)null;
                var isProtected = operation.Value.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
                yield return new ApiOperation(operation.Name.ToUpperInvariant(), path.Name, [.. shared, .. ParametersOf(operation.Value)], body, isProtected);
            }
        }
    }

    private static IEnumerable<ApiParameter> ParametersOf(JsonElement owner)
    {
        if (!owner.TryGetProperty("parameters", out var parameters))
        {
            yield break;
        }

        foreach (var parameter in parameters.EnumerateArray())
        {
            var location = parameter.GetProperty("in").GetString()!;
            if (location is not ("path" or "query"))
            {
                continue;
            }

            var schema = parameter.TryGetProperty("schema", out var value) ? value : default;
            yield return new ApiParameter(parameter.GetProperty("name").GetString()!, location,
                location == "path" || (parameter.TryGetProperty("required", out var required) && required.GetBoolean()),
                TypeOf(schema), schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var format) ? format.GetString() : null);
        }
    }

    /// <summary>A schema's type; OpenAPI 3.1 may give a list such as <c>["string", "null"]</c>.</summary>
    public static string? TypeOf(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type) ? null
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(entry => entry.GetString()).FirstOrDefault(name => name != "null")
        : type.GetString();
}
