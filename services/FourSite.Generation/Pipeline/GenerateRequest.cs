using FluentValidation;
using FourSite.Generation.GitHub;

namespace FourSite.Generation.Pipeline;

/// <summary>The body of <c>POST /api/generate</c>: the repository, and the version of the terms the person accepted (the web form sends it; it is recorded with the job).</summary>
public sealed record GenerateRequest(string? RepoUrl, string? TermsVersion = null);

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
        RuleFor(request => request.TermsVersion)
            .Matches("^[0-9A-Za-z.-]{1,32}$").When(request => request.TermsVersion is not null)
            .WithMessage("termsVersion must be a version like 2026-12-06.");
    }
}
