using FourSite.Generation.GitHub;
using FourSite.Generation.Writers.Readme;

namespace FourSite.Generation.Writers;

/// <summary>Writes a site's copy from a repository.</summary>
public interface ISiteWriter
{
    /// <summary>The model name reported to users (<c>template</c> for the built-in writer).</summary>
    string Model { get; }

    /// <param name="facts">What the repository's README states, read once for every writer and for the page.</param>
    Task<SiteCopy> WriteAsync(RepositorySnapshot repository, ReadmeFacts facts, CancellationToken cancellationToken);
}
