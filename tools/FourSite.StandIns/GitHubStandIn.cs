using System.Net;
using System.Text.RegularExpressions;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace FourSite.StandIns;

/// <summary>
/// GitHub's REST API faked over HTTP on loopback (GitHub itself is not reachable from tests). Unknown repositories are
/// 404, as on GitHub; each repository answers conditional requests with 304 when its ETag matches.
/// </summary>
public sealed partial class GitHubStandIn : IDisposable
{
    private readonly WireMockServer _server;

    /// <param name="port">The loopback port to answer on; any free one when 0.</param>
    public GitHubStandIn(int port = 0)
    {
        _server = port == 0 ? WireMockServer.Start() : WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        AnswerOAuth();
    }

    public string Url => _server.Url!;

    public void AddRepository(
        string owner,
        string name,
        string? description = "A sample project",
        string readme = "# Sample\n\nA sample project for tests.\n\n## Features\n\n- Fast\n- Small\n- Friendly\n",
        string[]? topics = null,
        Dictionary<string, long>? languages = null,
        string? homepage = null,
        int stars = 42,
        string version = "v1",
        DateTimeOffset? createdAt = null)
    {
        // Adding a repository again (a new version) replaces its answers: each mapping's id follows from what it answers.
        var path = $"/repos/{owner}/{name}";
        var etag = $"\"{owner}-{name}-{version}\"";
        _server.Given(Request.Create().WithPath(path).UsingGet().WithHeader("If-None-Match", etag))
            .WithGuid(MappingId(path, "not-modified"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(HttpStatusCode.NotModified).WithHeader("ETag", etag));
        _server.Given(Request.Create().WithPath(path).UsingGet())
            .WithGuid(MappingId(path, "metadata"))
            .AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", etag).WithBodyAsJson(new
            {
                name,
                description,
                stargazers_count = stars,
                forks_count = 7,
                created_at = createdAt ?? new DateTimeOffset(2020, 1, 15, 9, 30, 0, TimeSpan.Zero),
                language = languages?.Keys.FirstOrDefault() ?? "C#",
                topics = topics ?? [],
                license = new { spdx_id = "MIT", name = "MIT License" },
                homepage,
                owner = new { login = owner },
            }));
        _server.Given(Request.Create().WithPath(path + "/readme").UsingGet())
            .WithGuid(MappingId(path, "readme"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/plain; charset=utf-8").WithBody(readme));
        _server.Given(Request.Create().WithPath(path + "/languages").UsingGet())
            .WithGuid(MappingId(path, "languages"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(languages ?? new Dictionary<string, long> { ["C#"] = 1000, ["JavaScript"] = 200 }));
    }

    private static Guid MappingId(string path, string answer) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{path}#{answer}")).AsSpan(0, 16));

    /// <summary>Answers for every repository with the same small project (for load: each name is a distinct cache entry).</summary>
    public void AddEveryRepository() => AddEveryRepository("[^/]+", priority: 5, TimeSpan.Zero);

    /// <summary>
    /// Answers for every repository of <paramref name="owner"/> like <see cref="AddEveryRepository()"/>, each call held for
    /// <paramref name="delay"/>: generations of them stay in flight long enough to be interrupted.
    /// </summary>
    public void AddSlowRepositoriesOf(string owner, TimeSpan delay) =>
        AddEveryRepository(Regex.Escape(owner), priority: 4, delay);

    private static IResponseBuilder Respond(TimeSpan delay) => delay > TimeSpan.Zero ? Response.Create().WithDelay(delay) : Response.Create();

    private void AddEveryRepository(string ownerPattern, int priority, TimeSpan delay)
    {
        var repository = $"^/repos/{ownerPattern}/[^/]+";
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(repository + "$")).UsingGet())
            .AtPriority(priority)
            .RespondWith(Respond(delay).WithStatusCode(200).WithHeader("ETag", "\"any-v1\"").WithBodyAsJson(new
            {
                name = "load-test",
                description = "A project generated under load",
                stargazers_count = 1,
                forks_count = 0,
                language = "C#",
                topics = new[] { "dotnet" },
                license = new { spdx_id = "MIT", name = "MIT License" },
                owner = new { login = "bench" },
            }));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(repository + "/readme$")).UsingGet())
            .AtPriority(priority)
            .RespondWith(Respond(delay).WithStatusCode(200).WithBody("# Load test\n\nA project generated under load.\n\n## Features\n\n- Quick\n- Steady\n- Measured\n"));
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(repository + "/languages$")).UsingGet())
            .AtPriority(priority)
            .RespondWith(Respond(delay).WithStatusCode(200).WithBodyAsJson(new Dictionary<string, long> { ["C#"] = 1000 }));
    }

    /// <summary>
    /// The repository's README as GitHub's JSON content object (base64 in <c>content</c>, wrapped at 60 characters), as
    /// GitHub or a GitHub Enterprise proxy may answer even when the raw text is asked for.
    /// </summary>
    public void AnswerReadmeAsContentObject(string owner, string name, string readme)
    {
        var base64 = Convert.ToBase64String(global::System.Text.Encoding.UTF8.GetBytes(readme));
        var wrapped = string.Join('\n', base64.Chunk(60).Select(chunk => new string(chunk)));
        _server.Given(Request.Create().WithPath($"/repos/{owner}/{name}/readme").UsingGet())
            .AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { type = "file", encoding = "base64", name = "README.md", content = wrapped }));
    }

    /// <summary>Stops answering: every connection to the fake is refused from now on, as when GitHub cannot be reached at all.</summary>
    public void Disconnect() => _server.Stop();

    /// <summary>Every call for this repository answers with the status (e.g. 503: an outage, 403: rate-limited).</summary>
    public void FailRepository(string owner, string name, HttpStatusCode status) =>
        _server.Given(Request.Create().WithPath($"/repos/{owner}/{name}*").UsingGet())
            .AtPriority(0)
            .RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(new { message = "unavailable" }));

    /// <summary>How many requests reached the fake for this path (exactly), of any kind.</summary>
    public int RequestsTo(string path) =>
        _server.LogEntries.Count(entry => string.Equals(entry.RequestMessage.Path, path, StringComparison.OrdinalIgnoreCase));

    public int TotalRequests => _server.LogEntries.Count();

    public void Dispose() => _server.Stop();
}
