using FluentValidation;
using FourSite.Generation.GitHub;

namespace FourSite.Generation.Pipeline;

/// <summary>The body of <c>POST /api/generate</c>.</summary>
public sealed record GenerateRequest(string? RepoUrl);

/// <summary>Accepts only <c>https://github.com/{owner}/{repo}</c> URLs, before anything is called.</summary>
public sealed class GenerateRequestValidator : AbstractValidator<GenerateRequest>
{
    public GenerateRequestValidator()
    {
        RuleFor(request => request.RepoUrl)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("repoUrl is required.")
            .MaximumLength(RepositoryName.MaxUrlLength)
            .Must(url => RepositoryName.TryParse(url, out _))
            .WithMessage("repoUrl must be a GitHub repository URL: https://github.com/{owner}/{repo}.");
    }
}
