using System.Text.Json;
using System.Text.Json.Nodes;

namespace FourSite.Ops.Scanning;

/// <summary>The inputs a baseline scan sends: wrongly typed, oversized, malformed and injection-shaped.</summary>
public static class HostileInputs
{
    /// <summary>Values for one parameter or string property: (what it is, the value).</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> Values =
    [
        ("wrong type", "not-a-number"),
        ("negative", "-1"),
        ("overflow", "99999999999999999999999"),
        ("SQL injection", "' OR '1'='1' --"),
        ("script injection", "<script>alert(1)</script>"),
        ("path traversal", "../../../../etc/passwd"),
        ("template injection", "{{7*7}}${7*7}"),
        ("lookup injection", "${jndi:ldap://127.0.0.1/a}"),
        ("control characters", "a\u0000b\r\nSet-Cookie: x=1"),
        ("unicode", "😀\u202Eﷺ"),
        ("oversized", new string('a', 5_000)),
    ];

    /// <summary>Whole bodies: (what it is, content type, body).</summary>
    public static IEnumerable<(string Name, string ContentType, string Body)> Bodies(JsonNode? valid)
    {
        yield return ("malformed JSON", "application/json", "{\"");
        yield return ("empty body", "application/json", "");
        yield return ("JSON null", "application/json", "null");
        yield return ("JSON array", "application/json", "[]");
        yield return ("JSON string", "application/json", "\"text\"");
        yield return ("JSON number", "application/json", "42");
        yield return ("empty object", "application/json", "{}");
        yield return ("deeply nested", "application/json", new string('[', 5_000) + new string(']', 5_000));
        yield return ("oversized", "application/json", $"{{\"x\":\"{new string('a', 3 * 1024 * 1024)}\"}}");
        yield return ("wrong content type", "text/plain", valid?.ToJsonString() ?? "{}");
        yield return ("form content type", "application/x-www-form-urlencoded", "a=1&b=2");
        if (valid is not JsonObject properties)
        {
            yield break;
        }

        yield return ("every property of the wrong type", "application/json", new JsonObject(properties.Select(property =>
            KeyValuePair.Create(property.Key, WrongTypeFor(property.Value)))).ToJsonString());
        foreach (var property in properties.Where(property => property.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String).Select(property => property.Key))
        {
            foreach (var (name, value) in Values)
            {
                var body = (JsonObject)properties.DeepClone();
                body[property] = value;
                yield return ($"{property}: {name}", "application/json", body.ToJsonString());
            }
        }
    }

    private static JsonNode? WrongTypeFor(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => JsonValue.Create(42),
        JsonValueKind.Number => JsonValue.Create("NaN"),
        JsonValueKind.True or JsonValueKind.False => JsonValue.Create("yes"),
        JsonValueKind.Array => new JsonObject(),
        JsonValueKind.Object => new JsonArray(),
        _ => JsonValue.Create("x"),
    };
}
