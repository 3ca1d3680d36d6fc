#:package Microsoft.CodeAnalysis.CSharp.Workspaces@5.12.0
#:property PublishAot=false
#:property ManagePackageVersionsCentrally=false
#:property TreatWarningsAsErrors=false
// Writes SonarSecurity.globalconfig from the rules of the SonarAnalyzer.CSharp package in the NuGet cache: its
// security rules (types Vulnerability and Security Hotspot) at error, every other rule off; and SonarLint.xml, which
// names the hotspot rules (the analyzer runs those only when that file lists them). Run again after changing the
// package's version, from the repository root:  dotnet run eng/sonar-security-rules.cs -- ~/.nuget/packages/sonaranalyzer.csharp/VERSION
using System.Reflection;
using Microsoft.CodeAnalysis.Diagnostics;

var analyzers = Path.Combine(args[0], "analyzers");
foreach (var dll in Directory.GetFiles(analyzers, "*.dll"))
{
    Assembly.LoadFrom(dll);
}

var rules = new SortedDictionary<int, (string Id, string Category, string Title)>();
foreach (var type in Assembly.LoadFrom(Path.Combine(analyzers, "SonarAnalyzer.CSharp.dll")).GetTypes())
{
    if (type.IsAbstract || !typeof(DiagnosticAnalyzer).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
    {
        continue;
    }

    foreach (var rule in ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics)
    {
        if (rule.Id.StartsWith('S') && int.TryParse(rule.Id[1..], out var number))
        {
            rules[number] = (rule.Id, rule.Category, rule.Title.ToString());
        }
    }
}

static bool IsSecurity(string category) => category.EndsWith("Vulnerability", StringComparison.Ordinal) || category.EndsWith("Security Hotspot", StringComparison.Ordinal);

using var output = new StreamWriter(Path.Combine("eng", "SonarSecurity.globalconfig"));
output.WriteLine($"""
    # SonarAnalyzer.CSharp {Path.GetFileName(Path.TrimEndingDirectorySeparator(args[0]))}: its security rules (Vulnerability and Security
    # Hotspot) fail the build, its other rules are off. Written by eng/sonar-security-rules.cs; a rule is suppressed only in
    # place, with the reason beside it.
    is_global = true

    """);
foreach (var (id, category, title) in rules.Values.Where(rule => IsSecurity(rule.Category)))
{
    output.WriteLine($"# {category}: {title}");
    output.WriteLine($"dotnet_diagnostic.{id}.severity = error");
}

output.WriteLine();
output.WriteLine("# Everything else: not security rules.");
foreach (var (id, _, _) in rules.Values.Where(rule => !IsSecurity(rule.Category)))
{
    output.WriteLine($"dotnet_diagnostic.{id}.severity = none");
}

var hotspots = rules.Values.Where(rule => rule.Category.EndsWith("Security Hotspot", StringComparison.Ordinal)).Select(rule => $"    <Rule><Key>{rule.Id}</Key></Rule>");
File.WriteAllText(Path.Combine("eng", "SonarLint.xml"), $"""
    <?xml version="1.0" encoding="UTF-8"?>
    <!-- The security hotspot rules SonarAnalyzer.CSharp runs: written by eng/sonar-security-rules.cs. -->
    <AnalysisInput>
      <Rules>
    {string.Join('\n', hotspots)}
      </Rules>
    </AnalysisInput>

    """);
