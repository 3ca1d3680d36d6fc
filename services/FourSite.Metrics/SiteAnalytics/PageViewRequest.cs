using FluentValidation;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>The body of <c>POST /api/analytics/pageview</c>: the page's address (with its query) and the page the visitor came from.</summary>
public sealed record PageViewRequest(string? Url, string? Referrer);

public sealed class PageViewRequestValidator : AbstractValidator<PageViewRequest>
{
    public PageViewRequestValidator()
    {
        RuleFor(view => view.Url).NotEmpty().MaximumLength(2048)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .WithMessage("url must be the page's absolute http(s) address.");
        RuleFor(view => view.Referrer).MaximumLength(2048);
        // An address has no control characters, not even line breaks.
        RuleFor(view => view.Url).Must(url => !url!.Any(char.IsControl)).When(view => view.Url is not null).WithMessage("url must be plain text.");
        RuleFor(view => view.Referrer).Must(referrer => !referrer!.Any(char.IsControl)).When(view => view.Referrer is not null).WithMessage("referrer must be plain text.");
    }
}
