using FourSite.Generation.GitHub;

namespace FourSite.Generation.Writers;

/// <summary>Writes a site's copy from a repository.</summary>
public interface ISiteWriter
{
    /// <summary>The model name reported to users (<c>template</c> for the built-in writer).</summary>
    string Model { get; }

    Task<SiteCopy> WriteAsync(RepositorySnapshot repository, CancellationToken cancellationToken);
}
