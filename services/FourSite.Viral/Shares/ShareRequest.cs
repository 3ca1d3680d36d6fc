using FluentValidation;
using FourSite.Viral.Referrals;

namespace FourSite.Viral.Shares;

/// <summary>The body of <c>POST /api/share/track</c>.</summary>
public sealed record ShareRequest(string? WebsiteId, string? Platform, string? ShareUrl, string? ReferralCode);

/// <summary>A UUID site, a known platform, an http(s) URL, an optional referral code.</summary>
public sealed class ShareRequestValidator : AbstractValidator<ShareRequest>
{
    public ShareRequestValidator()
    {
        RuleFor(request => request.WebsiteId)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("websiteId is required.")
            .Must(id => Guid.TryParse(id, out _)).WithMessage("websiteId must be a UUID.");
        RuleFor(request => request.Platform)
            .Must(SharePlatforms.IsKnown)
            .WithMessage($"platform must be one of: {string.Join(", ", SharePlatforms.All)}.");
        RuleFor(request => request.ShareUrl)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("shareUrl is required.")
            .MaximumLength(2048)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .WithMessage("shareUrl must be an http(s) URL.");
        RuleFor(request => request.ReferralCode)
            .Must(ReferralCodes.IsWellFormed).When(request => request.ReferralCode is not null)
            .WithMessage("referralCode must be 4 to 32 letters, digits, '-' or '_'.");
    }
}
