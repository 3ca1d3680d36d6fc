using System.Text.RegularExpressions;

namespace FourSite.Generation.Writers.Readme;

/// <summary>
/// Recognises the command that installs a project, as READMEs write it in shell blocks, and prefers the one of the
/// project's own ecosystem (cargo for Rust, pip for Python…) when a README lists several.
/// </summary>
public static partial class InstallCommands
{
    private static readonly (string Ecosystem, Regex Pattern)[] Commands =
    [
        ("python", PythonInstall()),
        ("javascript", NodeInstall()),
        ("rust", CargoInstall()),
        ("go", GoInstall()),
        ("dotnet", DotnetInstall()),
        ("ruby", GemInstall()),
        ("php", ComposerInstall()),
        ("system", SystemInstall()),
        ("docker", DockerRun()),
    ];

    /// <summary>The command a shell line runs (prompt and surrounding space removed), when it installs something; else null.</summary>
    public static (string Command, string Ecosystem)? Recognise(string line)
    {
        var command = Prompt().Replace(line.Trim(), "");
        if (command.Length is 0 or > 200)
        {
            return null;
        }

        foreach (var (ecosystem, pattern) in Commands)
        {
            if (pattern.IsMatch(command))
            {
                return (command, ecosystem);
            }
        }

        return null;
    }

    /// <summary>The ecosystem whose installer suits a project written mostly in <paramref name="language"/>.</summary>
    public static string? EcosystemOf(string? language) => language?.ToLowerInvariant() switch
    {
        "python" or "jupyter notebook" => "python",
        "javascript" or "typescript" or "vue" or "svelte" => "javascript",
        "rust" => "rust",
        "go" => "go",
        "c#" or "f#" or "visual basic .net" => "dotnet",
        "ruby" => "ruby",
        "php" => "php",
        _ => null,
    };

    [GeneratedRegex(@"^(\$|>|#|PS>|PM>)\s+")]
    private static partial Regex Prompt();

    [GeneratedRegex(@"^(python3?\s+-m\s+)?(pip3?|uv\s+pip|pipx|poetry|uv)\s+(install|add)\s+\S", RegexOptions.IgnoreCase)]
    private static partial Regex PythonInstall();

    [GeneratedRegex(@"^(npm\s+(install|i|add)|pnpm\s+(add|install|i)|yarn\s+(global\s+)?add|bun\s+(add|install|i))\s+\S")]
    private static partial Regex NodeInstall();

    [GeneratedRegex(@"^cargo\s+(install|add|binstall)\s+\S")]
    private static partial Regex CargoInstall();

    [GeneratedRegex(@"^go\s+(install|get)\s+\S")]
    private static partial Regex GoInstall();

    [GeneratedRegex(@"^(dotnet\s+(add\s+(\S+\s+)?package|tool\s+install)|Install-Package|nuget\s+install)\s+\S", RegexOptions.IgnoreCase)]
    private static partial Regex DotnetInstall();

    [GeneratedRegex(@"^gem\s+install\s+\S")]
    private static partial Regex GemInstall();

    [GeneratedRegex(@"^composer\s+(require|global\s+require)\s+\S")]
    private static partial Regex ComposerInstall();

    [GeneratedRegex(@"^(sudo\s+)?(brew\s+install|apt(-get)?\s+install|dnf\s+install|yum\s+install|pacman\s+-S|emerge|pkg\s+install|nix-env\s+-i|nix\s+profile\s+install|xbps-install|snap\s+install|winget\s+install|scoop\s+install|choco\s+install|port\s+install|conda\s+install|vcpkg\s+install|zypper\s+install|apk\s+add)\s+\S")]
    private static partial Regex SystemInstall();

    [GeneratedRegex(@"^(sudo\s+)?docker\s+(run|pull)\s+\S")]
    private static partial Regex DockerRun();
}
