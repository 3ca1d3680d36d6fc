using System.Reflection;
using System.Text.Json.Nodes;
using FourSite.AppHost;
using FourSite.Testing;

namespace FourSite.Deploy.Tests;

/// <summary>
/// What the AppHost hands each process when every platform setting is configured: its publisher's manifest, made with a
/// value for each of <see cref="PlatformSettings"/>'s keys (and the first item of each list). A setting the AppHost
/// gains shows up here on its own.
/// </summary>
public static class AppHostSettings
{
    /// <summary>Per process (gateway, generation, leads, viral, metrics): the settings it is handed, each with whether it is a secret.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, bool>>> ReadAsync()
    {
        var folder = Repository.NewFolder();
        try
        {
            var keys = typeof(PlatformSettings).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(field => field.IsLiteral && field.FieldType == typeof(string) && field.Name != nameof(PlatformSettings.GatewayPort))
                .Select(field => (string)field.GetRawConstantValue()!);
            string[] settings = [.. keys.SelectMany(key => new[] { $"--{key}=configured", $"--{key}:0=configured" })];
            var (exitCode, output) = await Repository.DotnetAsync(Repository.Root, null, ["run", "--project", Projects.FourSite_AppHost.ProjectPath, "--no-build", "--no-launch-profile", "--",
                "--publisher", "manifest", "--output-path", Path.Combine(folder, "manifest.json"), .. settings]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"The AppHost's manifest publisher failed: {output}");
            }

            var resources = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")))!["resources"]!.AsObject();
            return resources.Where(resource => resource.Value!["type"]!.GetValue<string>().StartsWith("project", StringComparison.Ordinal))
                .ToDictionary(resource => resource.Key, resource => (IReadOnlyDictionary<string, bool>)resource.Value!["env"]!.AsObject()
                    .Where(variable => IsPlatformSetting(variable.Key))
                    .ToDictionary(variable => variable.Key, variable => IsSecret(resources, variable.Key, variable.Value!.GetValue<string>())));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>FourSite's own settings, the connection strings and the trace sampler; the rest is Aspire's wiring (endpoints, the OTLP address, ports).</summary>
    private static bool IsPlatformSetting(string name) =>
        name.StartsWith("FourSite__", StringComparison.Ordinal) || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || name.StartsWith("OTEL_TRACES_SAMPLER", StringComparison.Ordinal);

    /// <summary>A connection string (it carries a password), or a value taken from a secret parameter.</summary>
    private static bool IsSecret(JsonObject resources, string name, string value)
    {
        if (name.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
        {
            return true;
        }

        var parameter = value.StartsWith('{') && value.EndsWith(".value}", StringComparison.Ordinal) ? value[1..^".value}".Length] : null;
        return parameter is not null && resources[parameter]?["inputs"]?["value"]?["secret"]?.GetValue<bool>() == true;
    }
}
