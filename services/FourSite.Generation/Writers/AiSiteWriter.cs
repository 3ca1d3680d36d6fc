using System.Text.Json;
using FourSite.Generation.GitHub;
using FourSite.Generation.Writers.Readme;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Writers;

/// <summary>
/// Writes the copy with a chat model behind any OpenAI-compatible endpoint. The prompt is kept small (metadata and the
/// start of the README) so the model answers quickly; the answer must be the JSON asked for, or the write fails.
/// </summary>
public sealed class AiSiteWriter(IChatClient chat, IOptions<AiOptions> options)
{
    private const int ReadmeExcerpt = 4000;

    private const string Instructions = """
        You write the copy of a launch landing page for a GitHub project.
        Answer with one JSON object only, with these fields:
        "title" (the product name, at most 60 characters), "tagline" (one sentence, at most 140 characters),
        "description" (two or three sentences, at most 600 characters), "features" (3 to 6 short benefit statements),
        "techStack" (languages, frameworks and tools, at most 10).
        Use plain text only: no HTML, no Markdown, no links. Do not invent facts that the input does not support:
        the project's name, install command, code, numbers and links are the ones in "facts", used as given or not at all.
        """;

    public string Model => options.Value.Model;

    public async Task<SiteCopy> WriteAsync(RepositorySnapshot repository, ReadmeFacts readmeFacts, CancellationToken cancellationToken)
    {
        var facts = JsonSerializer.Serialize(new
        {
            repository = $"{repository.Owner}/{repository.Name}",
            facts = new { name = readmeFacts.Name, readmeFacts.Description, readmeFacts.Features, readmeFacts.InstallCommand },
            repository.Description,
            repository.Language,
            repository.Languages,
            repository.Topics,
            repository.Stars,
            repository.License,
            readme = repository.Readme.Length > ReadmeExcerpt ? repository.Readme[..ReadmeExcerpt] : repository.Readme,
        });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        var response = await chat.GetResponseAsync<SiteCopy>(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, facts)],
            new ChatOptions { ModelId = options.Value.Model, Temperature = 0.4f, MaxOutputTokens = 1000 },
            useJsonSchemaResponseFormat: false,
            cancellationToken: timeout.Token);

        if (!response.TryGetResult(out var copy) || string.IsNullOrWhiteSpace(copy?.Title) || copy.Features is not { Count: > 0 })
        {
            throw new InvalidDataException("The AI answer was not the site JSON asked for.");
        }

        return FactGuard.Apply(copy with { TechStack = copy.TechStack ?? [], Tagline = copy.Tagline ?? "", Description = copy.Description ?? "" }, readmeFacts,
            repository.Readme);
    }
}
