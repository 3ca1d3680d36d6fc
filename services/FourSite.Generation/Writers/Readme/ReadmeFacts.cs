namespace FourSite.Generation.Writers.Readme;

/// <summary>
/// What a README says about its project, read faithfully: its own name and casing, its first real paragraph, its
/// features, how to install it, a first example and its picture. Each is null (or empty) when the README does not say.
/// </summary>
public sealed record ReadmeFacts(
    string? Name,
    string? Headline,
    string? Description,
    IReadOnlyList<string> Features,
    string? InstallCommand,
    CodeSample? QuickStart,
    ReadmeImage? HeroImage,
    string? DocsUrl)
{
    public static readonly ReadmeFacts None = new(null, null, null, [], null, null, null, null);
}

/// <summary>A short example from the README, with the language its fence names (if any).</summary>
public sealed record CodeSample(string? Language, string Code);

/// <summary>The README's first picture that is not a badge: an absolute https address and its alternative text.</summary>
public sealed record ReadmeImage(string Url, string Alt);
