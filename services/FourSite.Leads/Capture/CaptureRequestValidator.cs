using FourSite.ServiceDefaults.Identity;
using FluentValidation;
using FourSite.Contracts.Leads;

namespace FourSite.Leads.Capture;

/// <summary>
/// Every field of a capture, bounded: a valid email, a UUID site, known enumerations, numbers in range, capped lists
/// and strings. Input that looks like SQL or markup is simply invalid here; nothing reaches a query but as a parameter.
/// </summary>
public sealed class CaptureRequestValidator : AbstractValidator<CaptureRequest>
{
    public const int MaxListItems = 10;
    public const int MaxSections = 30;

    public static readonly string[] ProjectTypes = ["tech", "project", "library", "app", "tool", "docs", "data", "other"];
    public static readonly string[] Platforms = ["twitter", "linkedin", "facebook", "reddit", "hackernews", "email", "copy", "github", "discord", "mastodon", "bluesky", "youtube"];
    public static readonly string[] DeviceTypes = ["desktop", "mobile", "tablet", "other"];

    public CaptureRequestValidator(TimeProvider clock)
    {
        RuleFor(request => request.Email)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("email is required.")
            .MaximumLength(EmailIdentity.MaxLength)
            .Must(EmailIdentity.IsValid).WithMessage("email must be a valid email address.");

        RuleFor(request => request.SiteId)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("siteId is required.")
            .Must(id => Guid.TryParse(id, out _)).WithMessage("siteId must be a UUID.");

        RuleFor(request => request.ProjectType)
            .Must(type => ProjectTypes.Contains(type)).When(request => request.ProjectType is not null)
            .WithMessage($"projectType must be one of: {string.Join(", ", ProjectTypes)}.");

        RuleFor(request => request.Template)
            .Matches("^[A-Za-z]{1,40}Template$").When(request => request.Template is not null)
            .WithMessage("template must name a site template, e.g. TechProjectTemplate.");

        RuleFor(request => request.ProjectInterests)
            .Must(list => list!.Count <= MaxListItems).When(request => request.ProjectInterests is not null)
            .WithMessage($"projectInterests may list at most {MaxListItems} interests.");
        RuleForEach(request => request.ProjectInterests)
            .NotEmpty().MaximumLength(40).Matches(@"^[\p{L}\p{N} /&+.#-]+$")
            .WithMessage("Each interest is a short label of letters, digits, spaces and / & + . # -.");

        RuleFor(request => request.SocialPlatforms)
            .Must(list => list!.Count <= MaxListItems).When(request => request.SocialPlatforms is not null)
            .WithMessage($"socialPlatforms may list at most {MaxListItems} platforms.");
        RuleForEach(request => request.SocialPlatforms)
            .Must(platform => Platforms.Contains(platform))
            .WithMessage($"Each social platform must be one of: {string.Join(", ", Platforms)}.");

        RuleFor(request => request.CaptureTimestamp)
            .Must(time => time <= clock.GetUtcNow().AddDays(1) && time >= clock.GetUtcNow().AddDays(-30))
            .When(request => request.CaptureTimestamp is not null)
            .WithMessage("captureTimestamp must be within the last 30 days.");

        RuleFor(request => request.ReferralCode)
            .Matches("^[A-Za-z0-9_-]{4,32}$").When(request => request.ReferralCode is not null)
            .WithMessage("referralCode must be 4 to 32 letters, digits, '-' or '_'.");

        RuleFor(request => request.Website).MaximumLength(2048);

        RuleFor(request => request.ConsentVersion)
            .Equal(LeadFormConsent.Version).When(request => request.ConsentVersion is not null)
            .WithMessage($"consentVersion must be the version of the form's consent text ({LeadFormConsent.Version}).");

        RuleFor(request => request.Metadata!).SetValidator(new CaptureMetadataValidator()).When(request => request.Metadata is not null);
    }
}

/// <summary>Engagement numbers in range and context strings of sensible shape and length.</summary>
public sealed class CaptureMetadataValidator : AbstractValidator<CaptureMetadata>
{
    public CaptureMetadataValidator()
    {
        RuleFor(metadata => metadata.TimeOnSite).InclusiveBetween(0, 86_400).When(metadata => metadata.TimeOnSite is not null);
        RuleFor(metadata => metadata.ScrollDepth).InclusiveBetween(0, 100).When(metadata => metadata.ScrollDepth is not null);
        RuleFor(metadata => metadata.InteractionCount).InclusiveBetween(0, 100_000).When(metadata => metadata.InteractionCount is not null);
        RuleFor(metadata => metadata.SectionsViewed)
            .Must(list => list!.Count <= CaptureRequestValidator.MaxSections).When(metadata => metadata.SectionsViewed is not null)
            .WithMessage($"sectionsViewed may list at most {CaptureRequestValidator.MaxSections} sections.");
        RuleForEach(metadata => metadata.SectionsViewed).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9 _-]+$");
        RuleFor(metadata => metadata.DeviceType)
            .Must(type => CaptureRequestValidator.DeviceTypes.Contains(type)).When(metadata => metadata.DeviceType is not null)
            .WithMessage($"deviceType must be one of: {string.Join(", ", CaptureRequestValidator.DeviceTypes)}.");
        RuleFor(metadata => metadata.ScreenResolution).Matches(@"^\d{2,5}x\d{2,5}$").When(metadata => metadata.ScreenResolution is not null);
        RuleFor(metadata => metadata.Timezone).MaximumLength(64).Matches(@"^[A-Za-z0-9_+\-/]+$").When(metadata => metadata.Timezone is not null);
        RuleFor(metadata => metadata.Language).MaximumLength(35).Matches("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$").When(metadata => metadata.Language is not null);
        RuleFor(metadata => metadata.Referrer)
            .MaximumLength(2048)
            .Must(referrer => referrer!.Length == 0 || (Uri.TryCreate(referrer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .When(metadata => metadata.Referrer is not null)
            .WithMessage("referrer must be an http(s) URL.");
        RuleFor(metadata => metadata.UserAgent).MaximumLength(512);
        RuleFor(metadata => metadata.SessionId).MaximumLength(128).Matches("^[A-Za-z0-9_:.-]+$").When(metadata => metadata.SessionId is not null);
    }
}
