#:property ManagePackageVersionsCentrally=false
// Fails when a project or solution uses a NuGet package, directly or transitively, with a known vulnerability of high or
// critical severity:  dotnet run --file eng/vulnerable-packages.cs -- FourSite.sln
// The advisories come from the package sources and <auditSources> of the NuGet configuration in force; a source without
// vulnerability data is named, so that a run which could see no advisory does not pass for a clean one.
using System.Diagnostics;
using System.Text.Json;

var target = args.FirstOrDefault() ?? "FourSite.sln";
// The listing reads what restore resolved.
var (restored, restoreOutput, restoreErrors) = await DotnetAsync("restore", target);
if (restored != 0)
{
    Console.Error.WriteLine($"dotnet restore failed ({restored}):\n{restoreOutput}{restoreErrors}");
    return 2;
}

var (listed, output, errors) = await DotnetAsync("list", target, "package", "--vulnerable", "--include-transitive", "--format", "json");
if (listed != 0)
{
    Console.Error.WriteLine($"dotnet list package failed ({listed}):\n{output}{errors}");
    return 2;
}

using var report = JsonDocument.Parse(output);
string[] failing = ["High", "Critical"];
var findings = 0;
foreach (var project in report.RootElement.GetProperty("projects").EnumerateArray())
{
    foreach (var framework in Items(project, "frameworks"))
    {
        foreach (var package in Items(framework, "topLevelPackages").Select(p => (p, "direct")).Concat(Items(framework, "transitivePackages").Select(p => (p, "transitive"))))
        {
            foreach (var vulnerability in Items(package.p, "vulnerabilities"))
            {
                var severity = vulnerability.GetProperty("severity").GetString() ?? "";
                var verdict = failing.Contains(severity, StringComparer.OrdinalIgnoreCase) ? "FAIL" : "warn";
                findings += verdict == "FAIL" ? 1 : 0;
                Console.WriteLine($"{verdict} {Path.GetFileNameWithoutExtension(project.GetProperty("path").GetString())} ({framework.GetProperty("framework").GetString()}): " +
                    $"{package.p.GetProperty("id").GetString()} {package.p.GetProperty("resolvedVersion").GetString()} ({package.Item2}), {severity}, {vulnerability.GetProperty("advisoryurl").GetString()}");
            }
        }
    }
}

// NuGet names an audit source without data (NU1905); a package source without it is silent, so it is asked here.
foreach (var line in (restoreOutput + restoreErrors + errors).Split('\n').Where(line => line.Contains("NU1905", StringComparison.Ordinal) || line.Contains("NU1900", StringComparison.Ordinal)).Distinct())
{
    Console.WriteLine($"note {line.Trim()}");
}

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
foreach (var source in Sources(report.RootElement).OfType<string>().Where(source => source.StartsWith("http", StringComparison.OrdinalIgnoreCase)))
{
    try
    {
        using var index = JsonDocument.Parse(await http.GetStringAsync(new Uri(source)));
        if (!Items(index.RootElement, "resources").Any(resource => resource.GetProperty("@type").GetString()?.StartsWith("VulnerabilityInfo", StringComparison.Ordinal) == true))
        {
            Console.WriteLine($"note {source} carries no vulnerability data: only an audit source (<auditSources> in nuget.config) can show advisories here");
        }
    }
    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
    {
        Console.WriteLine($"note {source} could not be asked whether it carries vulnerability data: {exception.Message}");
    }
}

Console.WriteLine($"{report.RootElement.GetProperty("projects").GetArrayLength()} projects checked: {findings} packages with a known vulnerability of high or critical severity (sources asked: {string.Join(", ", Sources(report.RootElement))}).");
return findings > 0 ? 1 : 0;

static async Task<(int ExitCode, string Output, string Errors)> DotnetAsync(params string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    return (process.ExitCode, await output, await errors);
}

static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
    element.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

static IEnumerable<string?> Sources(JsonElement report) => Items(report, "sources").Select(source => source.GetString());
