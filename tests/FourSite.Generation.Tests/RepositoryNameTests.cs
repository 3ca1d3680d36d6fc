using FourSite.Generation.GitHub;
using Xunit;

namespace FourSite.Generation.Tests;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("https://github.com/dotnet/aspire", "dotnet", "aspire")]
    [InlineData("https://github.com/dotnet/aspire/", "dotnet", "aspire")]
    [InlineData("https://github.com/dotnet/aspire.git", "dotnet", "aspire")]
    [InlineData("https://github.com/dotnet/aspire/tree/main/src", "dotnet", "aspire")]
    [InlineData("  https://GitHub.com/Some-Owner/repo_name.js  ", "Some-Owner", "repo_name.js")]
    [InlineData("https://www.github.com/a/b?tab=readme", "a", "b")]
    public void Accepts_repository_urls(string url, string owner, string name)
    {
        Assert.True(RepositoryName.TryParse(url, out var repository));
        Assert.Equal(owner, repository.Owner);
        Assert.Equal(name, repository.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("github.com/dotnet/aspire")]
    [InlineData("http://github.com/dotnet/aspire")]
    [InlineData("ftp://github.com/dotnet/aspire")]
    [InlineData("javascript:alert(1)//github.com/a/b")]
    [InlineData("https://gitlab.com/dotnet/aspire")]
    [InlineData("https://github.com.evil.example/dotnet/aspire")]
    [InlineData("https://evil.example/github.com/dotnet/aspire")]
    [InlineData("https://user:pass@github.com/dotnet/aspire")]
    [InlineData("https://github.com:8443/dotnet/aspire")]
    [InlineData("https://github.com/dotnet")]
    [InlineData("https://github.com/")]
    [InlineData("https://github.com/-dotnet/aspire")]
    [InlineData("https://github.com/dot--net/aspire")]
    [InlineData("https://github.com/dotnet/..")]
    [InlineData("https://github.com/dotnet/%2e%2e")]
    [InlineData("https://github.com/dotnet/asp ire")]
    [InlineData("https://github.com/'; DROP TABLE websites; --/x")]
    [InlineData("https://github.com/this-owner-name-is-far-too-long-for-github-x/repo")]
    public void Rejects_anything_else(string url) => Assert.False(RepositoryName.TryParse(url, out _));

    [Fact]
    public void Rejects_overlong_urls() =>
        Assert.False(RepositoryName.TryParse("https://github.com/a/b/" + new string('x', RepositoryName.MaxUrlLength), out _));
}
